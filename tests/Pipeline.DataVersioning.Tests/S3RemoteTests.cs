using Pipeline.DataVersioning.Operations;
using Pipeline.DataVersioning.Remotes;
using Pipeline.Testing;

namespace Pipeline.DataVersioning.Tests;

/// <summary>Push and pull against a real S3-compatible server (s3rver) on loopback.</summary>
[Trait("Category", "Integration")]
public sealed class S3RemoteTests
{
    [SkippableFact]
    public async Task PushThenPull_RealS3Server_RoundTripsByteIdenticalFiles()
    {
        var (server, reason) = await S3rverServer.GetAsync();
        Skip.If(server is null, reason);
        using var temp = new TempDirectory("s3");
        var prefix = Guid.NewGuid().ToString("N");
        var config =
            $"[core]\n    remote = s3\n['remote \"s3\"']\n    url = s3://dvc/{prefix}\n    endpointurl = {server!.Endpoint}\n";
        var credentials = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = S3rverServer.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = S3rverServer.SecretKey,
        };
        var options = new TransferOptions { Environment = name => credentials.GetValueOrDefault(name) };
        var producer = CompatibilityTests.NewRepoWithFixtureData(temp);
        File.WriteAllText(Path.Combine(producer.DvcDirectory, "config"), config);
        producer = DvcRepository.Open(producer.Root);
        DataAdd.Add(producer, "data/train.csv");
        DataAdd.Add(producer, "images");

        var pushed = await new DataTransfer(producer, options).PushAsync(null);
        var again = await new DataTransfer(producer, options).PushAsync(null);

        pushed.Pushed.ShouldBe(5);
        again.Pushed.ShouldBe(0);
        again.AlreadyOnRemote.ShouldBe(5);

        var consumer = temp.Combine("consumer");
        Directory.CreateDirectory(Path.Combine(consumer, ".dvc"));
        Directory.CreateDirectory(Path.Combine(consumer, "data"));
        File.WriteAllText(Path.Combine(consumer, ".dvc", "config"), config);
        File.Copy(Path.Combine(producer.Root, "images.dvc"), Path.Combine(consumer, "images.dvc"));
        File.Copy(
            Path.Combine(producer.Root, "data", "train.csv.dvc"),
            Path.Combine(consumer, "data", "train.csv.dvc")
        );

        var pulled = await DataPull.PullAsync(DvcRepository.Open(consumer), null, options);

        pulled.Summary.ShouldBe("2 files added and 5 files fetched");
        File.ReadAllBytes(Path.Combine(consumer, "data", "train.csv"))
            .ShouldBe(File.ReadAllBytes(FixtureRepos.V3Workspace("data", "train.csv")));
        FixtureRepos
            .Snapshot(Path.Combine(consumer, "images"))
            .ShouldBe(FixtureRepos.Snapshot(FixtureRepos.V3Workspace("images")));
    }

    [SkippableFact]
    public async Task Pull_S3WithoutCredentials_FailsNamingTheVariables()
    {
        var (server, reason) = await S3rverServer.GetAsync();
        Skip.If(server is null, reason);
        using var temp = new TempDirectory("s3");
        var clone = FixtureRepos.CloneV3(temp);
        File.WriteAllText(
            Path.Combine(clone, ".dvc", "config"),
            $"[core]\n    remote = s3\n['remote \"s3\"']\n    url = s3://dvc/x\n    endpointurl = {server!.Endpoint}\n"
        );

        var error = await Should.ThrowAsync<DvcException>(() =>
            FixtureRepos.PullAsync(clone, new TransferOptions { Environment = _ => null })
        );

        error.Message.ShouldContain("AWS_ACCESS_KEY_ID");
    }

    [SkippableFact]
    public async Task Upload_ClientKilledMidBody_LeavesNoObjectUnderTheFinalKey()
    {
        var (server, reason) = await S3rverServer.GetAsync();
        Skip.If(server is null, reason);
        using var temp = new TempDirectory("s3");
        var endpoint = new Uri(server!.Endpoint);
        await using var proxy = new TcpProxy(endpoint.Port);
        var url = $"s3://dvc/{Guid.NewGuid():N}";
        var credentials = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = S3rverServer.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = S3rverServer.SecretKey,
        };
        var source = temp.Combine("object");
        await File.WriteAllBytesAsync(source, new byte[2 * 1024 * 1024]);
        using var killed = new S3Remote(
            "s3",
            url,
            new Dictionary<string, string> { ["endpointurl"] = $"http://127.0.0.1:{proxy.Port}" },
            credentials.GetValueOrDefault
        );
        using var direct = new S3Remote(
            "s3",
            url,
            new Dictionary<string, string> { ["endpointurl"] = server.Endpoint },
            credentials.GetValueOrDefault
        );
        proxy.CutAfterUpstreamBytes(512 * 1024);

        await Should.ThrowAsync<Exception>(() =>
            killed.UploadAsync("files/md5/ab/cdef", source, CancellationToken.None)
        );

        (await direct.ExistsAsync("files/md5/ab/cdef", CancellationToken.None)).ShouldBeFalse();
    }
}
