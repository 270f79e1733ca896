using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ServerlessFargate.Tests;

/// <summary>
/// A local HTTP/1.1 proxy in front of moto that sends every request through a
/// <see cref="FaultInjector"/>: the faults the in-process tests inject reach a CLI running as its
/// own process too (the native build in CI), through <c>AWS_ENDPOINT_URL</c>. It speaks just
/// enough HTTP for the AWS commands (a request line, headers, a Content-Length body), so that a
/// reset the injector throws is a real reset of the connection and a hang holds it open.
/// </summary>
internal sealed class FaultProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly HttpMessageInvoker _invoker;
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();

    public FaultProxy(FaultInjector injector, string target)
    {
        _target = new Uri(target);
        _invoker = new HttpMessageInvoker(injector, disposeHandler: false);
        _listener.Start();
        Endpoint = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _ = Task.Run(AcceptAsync);
    }

    public string Endpoint { get; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>Serves the requests of one connection (the SDK keeps connections alive) until it closes or a fault cuts it.</summary>
    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                while (await ReadRequestAsync(stream) is { } request)
                {
                    using (request)
                    {
                        using var response = await _invoker.SendAsync(request, _stop.Token);
                        await WriteResponseAsync(stream, response);
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A reset the injector asked for (or the proxy stopping): cut the connection
                // with a TCP reset, as a broken network does.
                client.Client.LingerState = new LingerOption(true, 0);
            }
        }
    }

    private async Task<HttpRequestMessage?> ReadRequestAsync(NetworkStream stream)
    {
        var head = await ReadHeadAsync(stream);
        if (head is null)
        {
            return null;
        }
        var lines = head.Split("\r\n");
        var start = lines[0].Split(' ');
        var request = new HttpRequestMessage(new HttpMethod(start[0]), new Uri(_target, start[1]));
        var headers = lines.Skip(1).Where(l => l.Contains(':')).Select(l => (Name: l[..l.IndexOf(':')], Value: l[(l.IndexOf(':') + 1)..].Trim())).ToList();
        var length = headers.Where(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => int.Parse(h.Value)).FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        request.Content = new ByteArrayContent(body);
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return request;
    }

    /// <summary>The request line and headers, up to the blank line; null when the client closed the connection.</summary>
    private async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }
            head.Add(one[0]);
        }
        return Encoding.ASCII.GetString([.. head]).TrimEnd('\r', '\n');
    }

    /// <summary>The status line, the headers, and the body: as long as announced, or chunked when its length is unknown.</summary>
    private async Task WriteResponseAsync(NetworkStream stream, HttpResponseMessage response)
    {
        var length = response.Content.Headers.ContentLength;
        var head = new StringBuilder($"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n");
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).Where(h => h.Key is not ("Content-Length" or "Transfer-Encoding" or "Connection")))
        {
            head.Append(name).Append(": ").Append(string.Join(',', values)).Append("\r\n");
        }
        head.Append(length is { } known ? $"Content-Length: {known}\r\n\r\n" : "Transfer-Encoding: chunked\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
        using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (length is null)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{read:x}\r\n"), _stop.Token);
            }
            await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            if (length is null)
            {
                await stream.WriteAsync("\r\n"u8.ToArray(), _stop.Token);
            }
        }
        if (length is null)
        {
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), _stop.Token);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _invoker.Dispose();
        _stop.Dispose();
    }
}
