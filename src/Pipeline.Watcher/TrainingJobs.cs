using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Pipeline.Watcher;

public enum JobOutcome
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>Training Jobs: named, labelled and filled in from the template, created once per config hash, waited for.</summary>
public sealed partial class TrainingJobs(IKubernetes client, WatcherOptions options, TimeProvider clock)
{
    public const string HashLabel = "pipeline.dev/config-hash";
    public const string HashAnnotation = "pipeline.dev/config-hash";
    public const string ResourceVersionAnnotation = "pipeline.dev/configmap-resource-version";
    public const string HashVariable = "PIPELINE_CONFIG_HASH";
    private const int MaxNameLength = 63;

    public static bool IsDnsLabel(string name) => name.Length is > 0 and <= MaxNameLength && DnsLabel().IsMatch(name);

    /// <summary><c>train-&lt;dataset&gt;-&lt;yyyyMMdd-HHmmss&gt;</c>, DNS-safe and at most 63 characters: the dataset part is cut to fit.</summary>
    public static string NameFor(string dataset, DateTimeOffset at)
    {
        var stamp = at.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var room = MaxNameLength - "train-".Length - 1 - stamp.Length;
        var safe = NotDns().Replace(dataset.ToLowerInvariant(), "-").Trim('-');
        safe = safe.Length > room ? safe[..room].TrimEnd('-') : safe;
        return $"train-{(safe.Length == 0 ? "dataset" : safe)}-{stamp}";
    }

    /// <summary>The template file as a Job; a missing or malformed template names the file.</summary>
    public V1Job LoadTemplate()
    {
        if (!File.Exists(options.JobTemplate))
        {
            throw new WatcherOptionsException($"--job-template: {options.JobTemplate} does not exist.");
        }

        var job = KubernetesYaml.Deserialize<V1Job>(File.ReadAllText(options.JobTemplate));
        return job is { Kind: "Job", Spec.Template.Spec.Containers.Count: > 0 }
            ? job
            : throw new WatcherOptionsException(
                $"--job-template: {options.JobTemplate} is not a batch/v1 Job with at least one container."
            );
    }

    public V1Job Build(V1Job template, ConfigChange change, DateTimeOffset at)
    {
        var job = KubernetesYaml.Deserialize<V1Job>(KubernetesYaml.Serialize(template));
        job.Metadata ??= new V1ObjectMeta();
        job.Metadata.Name = NameFor(change.Dataset, at);
        job.Metadata.NamespaceProperty = options.Namespace;
        job.Metadata.GenerateName = null;
        Stamp(job.Metadata, change);
        job.Spec.TtlSecondsAfterFinished ??= options.JobTtlSeconds;
        job.Spec.BackoffLimit ??= options.JobBackoffLimit;
        job.Spec.Template.Metadata ??= new V1ObjectMeta();
        Stamp(job.Spec.Template.Metadata, change);
        foreach (var container in job.Spec.Template.Spec.Containers)
        {
            // The data the hash covers, pinned into the pod: a later ConfigMap edit cannot change what this Job trains on.
            var env = (container.Env ?? [])
                .Where(e => !change.Data.ContainsKey(e.Name) && e.Name != HashVariable)
                .ToList();
            env.AddRange(change.Data.Select(d => new V1EnvVar { Name = d.Key, Value = d.Value }));
            env.Add(new V1EnvVar { Name = HashVariable, Value = change.Hash });
            container.Env = env;
        }

        return job;
    }

    /// <summary>The Job already made for this hash (by any replica, before any restart), if there is one.</summary>
    public async Task<V1Job?> FindAsync(string hash, CancellationToken cancellationToken)
    {
        var jobs = await client.BatchV1.ListNamespacedJobAsync(
            options.Namespace,
            labelSelector: $"{HashLabel}={hash}",
            cancellationToken: cancellationToken
        );
        return jobs.Items.OrderByDescending(j => j.Metadata.CreationTimestamp).FirstOrDefault();
    }

    public async Task<V1Job> CreateAsync(V1Job template, ConfigChange change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await client.BatchV1.CreateNamespacedJobAsync(
                    Build(template, change, clock.GetUtcNow()),
                    options.Namespace,
                    cancellationToken: cancellationToken
                );
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
                // A Job of this dataset started in this very second: the name carries seconds, so the next one is free.
                await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
            }
        }
    }

    public static JobOutcome OutcomeOf(V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Status == "True" && c.Type is "Complete" or "Failed")?.Type switch
        {
            "Complete" => JobOutcome.Succeeded,
            "Failed" => JobOutcome.Failed,
            _ => job.Status?.Succeeded > 0 ? JobOutcome.Succeeded : JobOutcome.Running,
        };

    /// <summary>Polls the Job (the Role grants get, not watch, on Jobs) until it finishes or the timeout passes.</summary>
    public async Task<(JobOutcome Outcome, V1Job Job)> WaitAsync(V1Job job, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + options.JobTimeout;
        while (true)
        {
            var outcome = OutcomeOf(job);
            if (outcome != JobOutcome.Running)
            {
                return (outcome, job);
            }

            if (clock.GetUtcNow() > deadline)
            {
                return (JobOutcome.Failed, job);
            }

            await Task.Delay(options.JobPollInterval, clock, cancellationToken);
            job = await client.BatchV1.ReadNamespacedJobAsync(
                job.Metadata.Name,
                options.Namespace,
                cancellationToken: cancellationToken
            );
        }
    }

    private static void Stamp(V1ObjectMeta metadata, ConfigChange change)
    {
        metadata.Labels ??= new Dictionary<string, string>();
        metadata.Labels[HashLabel] = change.Hash;
        metadata.Labels["app.kubernetes.io/managed-by"] = "pipeline-watcher";
        metadata.Annotations ??= new Dictionary<string, string>();
        metadata.Annotations[HashAnnotation] = change.Hash;
        if (change.ResourceVersion is { } version)
        {
            metadata.Annotations[ResourceVersionAnnotation] = version;
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotDns();
}
