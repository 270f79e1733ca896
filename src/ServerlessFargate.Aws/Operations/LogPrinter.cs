using System.Globalization;
using ServerlessFargate.Aws.Clients;

namespace ServerlessFargate.Aws.Operations;

/// <summary>One log line as the commands print it: time, the task's short id, the message.</summary>
public static class LogPrinter
{
    /// <summary>The first 8 characters of a task id tell a service's tasks apart, as the ECS console shows them.</summary>
    public static string ShortId(string taskId) => taskId.Length > 8 ? taskId[..8] : taskId;

    public static string Format(LogEvent line, string taskId) =>
        $"{line.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} [{ShortId(taskId)}] {line.Message.TrimEnd('\n', '\r')}";

    /// <summary>The task id at the end of a stream named prefix/container/task id.</summary>
    public static string TaskIdOf(string stream) => stream[(stream.LastIndexOf('/') + 1)..];
}
