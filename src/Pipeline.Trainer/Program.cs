using Pipeline.Trainer;

return TrainCommand.Run(args, Console.Out, Console.Error);
