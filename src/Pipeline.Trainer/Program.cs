using Pipeline.Trainer;

return await TrainCommand.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
