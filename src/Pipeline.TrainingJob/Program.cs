using Pipeline.Cli;
using Pipeline.TrainingJob;

return await TrainCommand.RunAsync(args, ConsoleIO.Process);
