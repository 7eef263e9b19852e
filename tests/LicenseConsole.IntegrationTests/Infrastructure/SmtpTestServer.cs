using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace LicenseConsole.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server on a loopback port (the plain protocol MailKit speaks without TLS or authentication), that
/// can go down and come back on the same port. It holds its port exclusively: a library server listening with
/// SO_REUSEPORT let a second server share a port and take another test's mail.
/// </summary>
public sealed class SmtpTestServer : IDisposable
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    private readonly List<MimeMessage> _received = [];
    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stopping;

    public SmtpTestServer()
    {
        Start(port: 0);
        Port = ((IPEndPoint)_listener!.LocalEndpoint).Port;
    }

    public int Port { get; }

    /// <summary>Every message received, across outages.</summary>
    public IReadOnlyList<MimeMessage> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:SecureSocket"] = "None",
        ["Smtp:From"] = "LicenseConsole <alerts@licenseconsole.test>",
        ["Smtp:Timeout"] = "00:00:05",
    };

    /// <summary>Listens again on the same port after <see cref="Stop"/>.</summary>
    public void Start() => Start(Port);

    /// <summary>An outage: the port refuses connections until <see cref="Start()"/>.</summary>
    public void Stop()
    {
        _stopping?.Cancel();
        _listener?.Stop();
        _listener = null;
    }

    public void Dispose() => Stop();

    private void Start(int port)
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new TcpListener(IPAddress.Loopback, port);

        // SO_REUSEADDR alone (not .NET's ReuseAddress, which adds SO_REUSEPORT on Linux): the port can be taken
        // again over connections in TIME_WAIT after an outage, never by a second listener.
        listener.Server.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        listener.Start();
        _listener = listener;
        _stopping = new CancellationTokenSource();
        _ = AcceptAsync(listener, _stopping.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client, stopping);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 smtp-test ready");
                while (await reader.ReadLineAsync(stopping) is { } line)
                {
                    var command = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (command)
                    {
                        case "EHLO":
                        case "HELO":
                            await writer.WriteLineAsync("250 smtp-test");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                            Keep(await ReadDataAsync(reader, stopping));
                            await writer.WriteLineAsync("250 queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        default:
                            // MAIL FROM, RCPT TO, RSET, NOOP: nothing to check here.
                            await writer.WriteLineAsync("250 ok");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // The client went away, or the server is stopping: an outage, not a test failure.
            }
        }
    }

    private static async Task<string> ReadDataAsync(StreamReader reader, CancellationToken stopping)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(stopping) is { } line && line != ".")
        {
            // Dot-stuffing: a line that starts with a dot was sent with one more.
            data.Append(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line).Append("\r\n");
        }

        return data.ToString();
    }

    private void Keep(string data)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(data));
        var message = MimeMessage.Load(content);
        lock (_lock)
        {
            _received.Add(message);
        }
    }
}
