using System.ComponentModel.DataAnnotations;

namespace LicenseConsole.Email;

public enum SmtpSecureSocket
{
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>Configuration section <c>Smtp</c>. Without a host, emails wait in the outbox until one is configured.</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Sender, e.g. "LicenseConsole &lt;alerts@example.com&gt;".</summary>
    public string From { get; set; } = "LicenseConsole <alerts@licenseconsole.local>";

    public SmtpSecureSocket SecureSocket { get; set; } = SmtpSecureSocket.None;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MimeKit.MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult($"Smtp:From '{From}' is not an email address.", [nameof(From)]);
        }

        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Smtp:UserName and Smtp:Password are set together or not at all.", [nameof(UserName), nameof(Password)]);
        }
    }
}

/// <summary>Configuration section <c>Email</c>: how the outbox is drained.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>The wait after a first failed attempt; it doubles with each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the outbox is looked at.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a sender owns the rows it took; after it, another instance may retry them.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;
}

/// <summary>Configuration section <c>App</c>.</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>Where people reach the console; links in emails start here.</summary>
    [Required]
    [Url]
    public string PublicUrl { get; set; } = "http://localhost:5000";
}
