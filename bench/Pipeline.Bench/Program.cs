// Usage: dotnet run -c Release --project bench/Pipeline.Bench -- dvc [runs] | predict [runs] <model.zip> <reviews.csv> | tracking [runs] | playlist [runs]
var suite = args.Length > 0 ? args[0] : "dvc";
var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
switch (suite)
{
    case "dvc":
        Pipeline.Bench.DvcBench.Run(runs);
        break;
    case "predict":
        Pipeline.Bench.PredictBench.Run(args[2], args[3], runs);
        break;
    case "tracking":
        Pipeline.Bench.TrackingBench.Run(runs);
        break;
    case "playlist":
        Pipeline.Bench.PlaylistBench.Run(runs);
        break;
    default:
        Console.Error.WriteLine($"unknown suite '{suite}'; known: dvc, predict, tracking, playlist");
        return 2;
}

return 0;
