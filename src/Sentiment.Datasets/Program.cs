return await Sentiment.Datasets.DatasetCommand.RunAsync(args, Pipeline.Cli.ConsoleIO.Process);
