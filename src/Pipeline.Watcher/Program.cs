return await Pipeline.Watcher.WatcherApp.RunAsync(args, Pipeline.Cli.ConsoleIO.Process);
