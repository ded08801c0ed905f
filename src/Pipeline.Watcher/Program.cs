return await Pipeline.Watcher.WatcherApp.RunAsync(args);
