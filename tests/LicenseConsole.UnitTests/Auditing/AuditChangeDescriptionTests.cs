using System.Globalization;
using LicenseConsole.Auditing;

namespace LicenseConsole.UnitTests.Auditing;

public sealed class AuditChangeDescriptionTests
{
    private static readonly IAuditWords English = new TestWords(": ");

    [Fact]
    public void Describe_ProductAutoRenewSwitchedOff_SaysOnToOff() =>
        Assert.Equal(["Auto-renew: On → Off"], Describe(AuditActions.ProductAutoRenew, """{"autoRenew":true}""", """{"autoRenew":false}"""));

    [Fact]
    public void Describe_AutoRenewSwitchedToWhatItWas_SaysWhatItIs() =>
        Assert.Equal(["Auto-renew: On"], Describe(AuditActions.DeviceAutoRenew, """{"autoRenew":true}""", """{"autoRenew":true}"""));

    [Fact]
    public void Describe_Allocation_ListsSpecAndQuantityAndTheTotalFromTo() =>
        Assert.Equal(
            ["License spec: STD-1Y", "Quantity: 1,500", "Licenses in the product: 10 → 1,510"],
            Describe(AuditActions.AllocationCreate, """{"total":10}""", """{"spec":"STD-1Y","quantity":1500,"total":1510}"""));

    [Fact]
    public void Describe_SubAccountRoleChanged_ShowsOnlyTheRoleInWords()
    {
        const string before = """{"email":"ann@example.com","role":"operator","maintainsRecipients":true,"productKeys":null}""";
        const string after = """{"email":"ann@example.com","role":"viewer","maintainsRecipients":true,"productKeys":null}""";

        Assert.Equal(["Role: Operator → Viewer"], Describe(AuditActions.SubAccountChange, before, after));
    }

    [Fact]
    public void Describe_SubAccountLimitedToProducts_ListsTheProductsFromAllProducts()
    {
        const string before = """{"email":"ann@example.com","role":"viewer","maintainsRecipients":false,"productKeys":null}""";
        const string after = """{"email":"ann@example.com","role":"viewer","maintainsRecipients":false,"productKeys":["pk-door","pk-lamp"]}""";

        Assert.Equal(["Products: All products → pk-door, pk-lamp"], Describe(AuditActions.SubAccountChange, before, after));
    }

    [Fact]
    public void Describe_SubAccountAdded_ListsItsFields() =>
        Assert.Equal(
            ["Email: ann@example.com", "Role: Operator", "Maintains recipients: Yes", "Products: All products"],
            Describe(AuditActions.SubAccountAdd, null, """{"email":"ann@example.com","role":"operator","maintainsRecipients":true,"productKeys":[]}"""));

    [Fact]
    public void Describe_RecipientRemoved_ListsWhatWasRemoved() =>
        Assert.Equal(
            ["Name: Ops desk", "Email: ops@example.com"],
            Describe(AuditActions.RecipientRemove, """{"name":"Ops desk","email":"ops@example.com"}""", null));

    [Fact]
    public void Describe_ApiKeyRevoked_NamesTheKeyWithoutRestatingTheRevocation() =>
        Assert.Equal(["Name: deploy script"], Describe(AuditActions.ApiKeyRevoke, """{"name":"deploy script"}""", """{"revoked":true}"""));

    [Fact]
    public void Describe_PasswordChanged_HasNothingToAddToTheAction() =>
        Assert.Empty(Describe(AuditActions.PasswordChange, null, """{"passwordChanged":true}"""));

    [Fact]
    public void Describe_DeviceDeleted_ShowsItsExpiryAsATimeAndANeverActivatedOneAsADash()
    {
        Assert.Equal(["Expires: 2027-03-01 08:30 UTC"], Describe(AuditActions.DeviceDelete, """{"expiresAt":"2027-03-01T08:30:00Z"}""", null));
        Assert.Equal(["Expires: —"], Describe(AuditActions.DeviceDelete, """{"expiresAt":null}""", null));
    }

    [Fact]
    public void Describe_NameThatLooksLikeATime_StaysAsWritten() =>
        Assert.Equal(["Name: 2027-03-01T08:30:00Z"], Describe(AuditActions.ProductCreate, null, """{"name":"2027-03-01T08:30:00Z"}"""));

    [Fact]
    public void Describe_UnknownActionAndFields_ShowsTheRawNamesOfWhatChanged() =>
        Assert.Equal(
            ["colour: red → blue", "tags: a, b"],
            Describe("widget.paint", """{"colour":"red","size":3}""", """{"colour":"blue","size":3,"tags":["a","b"]}"""));

    [Fact]
    public void Describe_NestedObject_ShowsItsJson() =>
        Assert.Equal(["""limits: {"max":5}"""], Describe("widget.limit", null, """{"limits":{"max":5}}"""));

    [Fact]
    public void Describe_ChineseWords_UseTheirSeparator() =>
        Assert.Equal(["Auto-renew：On → Off"], AuditChangeDescription.Describe(AuditActions.ProductAutoRenew, """{"autoRenew":true}""", """{"autoRenew":false}""", new TestWords("：")));

    [Theory]
    [InlineData("{", """{"autoRenew":false}""", """{ → {"autoRenew":false}""")]
    [InlineData("[1,2]", null, "[1,2]")]
    [InlineData("42", "\"text\"", "42 → \"text\"")]
    [InlineData(null, "not json", "not json")]
    [InlineData("""{"autoRenew":true}""", """{"autoRenew":""", """{"autoRenew":true} → {"autoRenew":""")]
    public void Describe_NotAJsonObject_ShowsWhatWasRecorded(string? before, string? after, string expected) =>
        Assert.Equal([expected], Describe(AuditActions.ProductAutoRenew, before, after));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "  ")]
    [InlineData("null", null)]
    [InlineData("{}", "{}")]
    public void Describe_NothingRecorded_IsEmpty(string? before, string? after) =>
        Assert.Empty(Describe(AuditActions.ProductAutoRenew, before, after));

    [Fact]
    public void Describe_RepeatedField_TakesTheFirst() =>
        Assert.Equal(["Auto-renew: Off"], Describe(AuditActions.ProductAutoRenew, null, """{"autoRenew":false,"autoRenew":true}"""));

    private static IReadOnlyList<string> Describe(string action, string? before, string? after) =>
        AuditChangeDescription.Describe(action, before, after, English);

    /// <summary>English words of the kind the console gives, with the label separator of the language under test.</summary>
    private sealed class TestWords(string separator) : IAuditWords
    {
        public string AllProducts => "All products";

        public string? Field(string action, string field) => (action, field) switch
        {
            (AuditActions.AllocationCreate, "total") => "Licenses in the product",
            (_, "autoRenew") => "Auto-renew",
            (_, "spec") => "License spec",
            (_, "quantity") => "Quantity",
            (_, "role") => "Role",
            (_, "email") => "Email",
            (_, "name") => "Name",
            (_, "maintainsRecipients") => "Maintains recipients",
            (_, "productKeys") => "Products",
            (_, "expiresAt") => "Expires",
            _ => null,
        };

        public string Switch(bool on) => on ? "On" : "Off";

        public string YesOrNo(bool yes) => yes ? "Yes" : "No";

        public string Role(string role) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(role);

        public string Time(DateTime utc)
        {
            Assert.Equal(DateTimeKind.Utc, utc.Kind);
            return utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        }

        public string Labelled(string label, string value) => label + separator + value;
    }
}
