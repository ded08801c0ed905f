using Pipeline.Datasets;

return await DatasetCommand.RunAsync(args, Console.Out, Console.Error);
