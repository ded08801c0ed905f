// Usage: dotnet run -c Release --project bench/Pipeline.Bench -- <dvc> [runs]
var suite = args.Length > 0 ? args[0] : "dvc";
var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
switch (suite)
{
    case "dvc":
        Pipeline.Bench.DvcBench.Run(runs);
        break;
    default:
        Console.Error.WriteLine($"unknown suite '{suite}'; known: dvc");
        return 2;
}

return 0;
