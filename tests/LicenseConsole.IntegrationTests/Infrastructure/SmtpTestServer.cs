using System.Net;
using System.Net.Sockets;
using netDumbster.smtp;

namespace LicenseConsole.IntegrationTests.Infrastructure;

/// <summary>A real SMTP server on a loopback port that can go down and come back on the same port.</summary>
public sealed class SmtpTestServer : IDisposable
{
    private SimpleSmtpServer? _server;
    private readonly List<SmtpMessage> _received = [];

    public SmtpTestServer()
    {
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    /// <summary>Every message received, across outages.</summary>
    public IReadOnlyList<SmtpMessage> Received
    {
        get
        {
            Collect();
            return [.. _received];
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

    public void Start() => _server ??= SimpleSmtpServer.Start(Port);

    /// <summary>An outage: the port refuses connections until <see cref="Start"/>.</summary>
    public void Stop()
    {
        Collect();
        _server?.Stop();
        _server?.Dispose();
        _server = null;
    }

    public void Dispose() => Stop();

    private void Collect()
    {
        if (_server is null)
        {
            return;
        }

        _received.AddRange(_server.ReceivedEmail);
        _server.ClearReceivedEmail();
    }

    // netDumbster listens with SO_REUSEADDR, which .NET on Linux maps to SO_REUSEPORT as well: two servers on
    // one port would both listen and share the connections. A port is therefore never handed out twice in
    // this process, even while its server is down for an outage.
    private static readonly HashSet<int> HandedOut = [];

    private static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
