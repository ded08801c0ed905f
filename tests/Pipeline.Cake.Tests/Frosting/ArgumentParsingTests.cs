namespace Pipeline.Cake.Tests.Frosting;

public sealed class ArgumentParsingTests
{
    private static List<string> Probe(params string[] args)
    {
        using var host = new HostFixture();
        host.Host.AddTask<ArgumentProbeTask>();
        var result = host.Run(["--target=Probe", .. args]);
        result.ExitCode.ShouldBe(0, result.Output);
        return host
            .Log.Entries.Where(e => e != "Setup" && !e.StartsWith("Teardown", StringComparison.Ordinal))
            .ToList();
    }

    [Fact]
    public void Run_EqualsAndSpaceForms_BecomeCakeArguments()
    {
        var seen = Probe("--dataset=data/train.csv", "--model", "sentiment@champion");

        seen.ShouldContain("dataset=data/train.csv");
        seen.ShouldContain("model=sentiment@champion");
    }

    [Fact]
    public void Run_ValueLessFlag_BecomesAnArgument()
    {
        Probe("--smoke").ShouldContain(e => e.StartsWith("smoke=", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_EmptyValueInSpaceForm_IsKept()
    {
        Probe("--label", "").ShouldContain("label=");
    }

    [Fact]
    public void Run_RepeatedArgument_KeepsEveryValue()
    {
        Probe("--param=c=1", "--param=seed=2").ShouldContain("param=c=1|seed=2");
    }

    [Fact]
    public void Run_Target_IsAlsoACakeArgument()
    {
        Probe().ShouldContain("target=Probe");
    }

    [Theory]
    [InlineData("quiet", "Quiet")]
    [InlineData("q", "Quiet")]
    [InlineData("Minimal", "Minimal")]
    [InlineData("v", "Verbose")]
    [InlineData("diagnostic", "Diagnostic")]
    public void Run_Verbosity_AcceptsNamesAndLetters(string value, string expected)
    {
        Probe($"--verbosity={value}").ShouldContain($"verbosity={expected}");
    }

    [Fact]
    public void Run_ShortVerbosity_IsParsed()
    {
        Probe("-v", "minimal").ShouldContain("verbosity=Minimal");
    }

    [Fact]
    public void Run_UnknownVerbosity_FailsNonZero()
    {
        using var host = new HostFixture();
        host.Host.AddTask<ArgumentProbeTask>();

        var result = host.Run("--target=Probe", "--verbosity=loud");

        result.ExitCode.ShouldNotBe(0);
        host.Log.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void Run_WorkingSwitch_ChangesOnlyTheCakeEnvironment()
    {
        using var other = new Pipeline.Testing.TempDirectory("working");
        var before = Directory.GetCurrentDirectory();

        var seen = Probe("-w", other.Path);

        seen.ShouldContain($"cwd={other.Path}");
        Directory.GetCurrentDirectory().ShouldBe(before);
    }
}
