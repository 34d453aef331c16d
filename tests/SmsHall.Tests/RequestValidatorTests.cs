using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using SmsHall.Twilio;

namespace SmsHall.Tests;

/// <summary>
/// Twilio's published vectors (the unit tests of twilio-csharp, -python, -node, -java), held to the
/// webhook's own signature check: the one a gateway started with the vectors' auth token uses.
/// </summary>
public class RequestValidatorTests(RequestValidatorTests.VectorGateway vectors) : IClassFixture<RequestValidatorTests.VectorGateway>
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string Signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    // Added out of order on purpose: the signature sorts them.
    private static readonly KeyValuePair<string, string>[] Params =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("From", "+14158675309"),
        new("Digits", "1234"),
        new("To", "+18005551212"),
        new("Caller", "+14158675309"),
    ];

    /// <summary>A gateway with the vectors' auth token, behind a proxy at https://mycompany.com.</summary>
    public sealed class VectorGateway : IAsyncLifetime
    {
        public TestGateway Gateway { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Gateway = await TestGateway.StartAsync($"--Twilio:AuthToken={Token}", "--Twilio:PublicBaseUrl=https://mycompany.com");

        public async Task DisposeAsync() => await Gateway.DisposeAsync();
    }

    private bool IsValid(string url, IEnumerable<KeyValuePair<string, string>> form, string signature) =>
        vectors.Gateway.Services.GetRequiredService<WebhookSignature>().IsValid(url, AsForm(form), signature);

    // As ASP.NET reads a form: each name once, with all its values.
    private static IEnumerable<KeyValuePair<string, StringValues>> AsForm(IEnumerable<KeyValuePair<string, string>> pairs) =>
        pairs.GroupBy(p => p.Key).Select(g => KeyValuePair.Create(g.Key, new StringValues(g.Select(p => p.Value).ToArray())));

    [Fact]
    public void TheTestsSignLikeTwilio()
    {
        Assert.Equal(Signature, TwilioSignature.Compute(Url, Params, Token));
    }

    [Fact]
    public void AcceptsTwiliosSignature()
    {
        Assert.True(IsValid(Url, Params, Signature));
    }

    [Theory]
    [InlineData("NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("WRONG_SIGNATURE")]
    [InlineData("")]
    public void RejectsAWrongOrEmptySignature(string signature)
    {
        Assert.False(IsValid(Url, Params, signature));
    }

    [Fact]
    public void RejectsATamperedUrl()
    {
        Assert.False(IsValid("https://mycompany.com/myapp.php?foo=1&bar=3", Params, Signature));
    }

    [Fact]
    public void RejectsATamperedParameter()
    {
        var tampered = Params.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "1235") : p);
        Assert.False(IsValid(Url, tampered, Signature));
    }

    [Fact]
    public void RejectsAnAddedParameter()
    {
        Assert.False(IsValid(Url, Params.Append(new("Body", "hi")), Signature));
    }

    [Theory]
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")] // port removed
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=")] // as given
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")] // :443 added
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")] // :80 added
    public void AcceptsTheUrlWithOrWithoutItsPort(string url, string signature)
    {
        Assert.True(IsValid(url, Params, signature));
    }

    [Theory]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4=")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis=")]
    [InlineData("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=")]
    [InlineData("HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "hy/l8pca+LFms4cvRdv8uiP6NGc=")]
    [InlineData("http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2", "SkTSKyDJH9kUlhItI0slbgZ1UsI=")]
    [InlineData("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "CukzLTc1tT5dXEDIHm/tKBanW10=")]
    [InlineData("https://user@mycompany.com/myapp.php?foo=1&bar=2", "2YRLlVAflCqxaNicjMpJcSTgzSs=")]
    [InlineData("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=")] // :443 added
    public void KeepsTheUrlsCaseAndCredentials(string url, string signature)
    {
        Assert.True(IsValid(url, Params, signature));
    }

    [Theory]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2")]
    public void ALowerCasedHostsSignatureDoesNotFitAMixedCaseUrl(string url)
    {
        Assert.False(IsValid(url, Params, Signature));
    }

    [Fact]
    public void SignsRepeatedParametersInValueOrder()
    {
        KeyValuePair<string, string>[] repeated =
        [
            new("Sid", "CA123"), new("SidAccount", "AC123"), new("Digits", "5678"), new("Digits", "1234"),
        ];
        Assert.Equal("IK+Dwps556ElfBT0I3Rgjkr1wJU=", TwilioSignature.Compute(Url, repeated, Token));
        Assert.True(IsValid(Url, repeated, "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
    }

    [Fact]
    public void SignsAQuoteInABodyLiterally()
    {
        Assert.True(IsValid(Url + "&Body=It's+amazing", Params, "dsq4Ehbj6cs+KdTkpF5sSSplOWw="));
    }

    [Theory]
    [InlineData("https://mycompany.com/twilio/sms", HttpStatusCode.OK)]
    [InlineData("https://mycompany.com:443/twilio/sms", HttpStatusCode.OK)] // the default port, added by a proxy
    [InlineData("https://MyCompany.com/twilio/sms", HttpStatusCode.Forbidden)] // Twilio signs the URL as configured
    [InlineData("http://mycompany.com/twilio/sms", HttpStatusCode.Forbidden)]
    public async Task TheWebhookChecksThePublicUrlWithOrWithoutItsDefaultPort(string signedUrl, HttpStatusCode expected)
    {
        var form = TestGateway.Form("+15550000001", "BAL", vectors.Gateway.NextSid());
        using var response = await vectors.Gateway.PostFormAsync(form, TwilioSignature.Compute(signedUrl, form, Token));
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task TheWebhookRefusesASignatureMadeWithAnotherAuthToken()
    {
        var form = TestGateway.Form("+15550000001", "BAL", vectors.Gateway.NextSid());
        using var response = await vectors.Gateway.PostFormAsync(form, TwilioSignature.Compute("https://mycompany.com/twilio/sms", form, "54321"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
