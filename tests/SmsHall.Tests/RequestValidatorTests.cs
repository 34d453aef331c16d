using SmsHall.Twilio;

namespace SmsHall.Tests;

/// <summary>The vectors are those of Twilio's own SDKs' unit tests (twilio-csharp, -python, -node, -java).</summary>
public class RequestValidatorTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    // Added out of order on purpose: the signature sorts them.
    private static readonly KeyValuePair<string, string>[] Params =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("From", "+14158675309"),
        new("Digits", "1234"),
        new("To", "+18005551212"),
        new("Caller", "+14158675309"),
    ];

    [Fact]
    public void ComputesTwiliosSignature()
    {
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", RequestValidator.Compute(Url, Params, Token));
    }

    [Fact]
    public void AcceptsTwiliosSignature()
    {
        Assert.True(RequestValidator.IsValid(Url, Params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", Token));
    }

    [Theory]
    [InlineData("NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("WRONG_SIGNATURE")]
    [InlineData("")]
    [InlineData(null)]
    public void RejectsAWrongOrMissingSignature(string? signature)
    {
        Assert.False(RequestValidator.IsValid(Url, Params, signature, Token));
    }

    [Fact]
    public void RejectsATamperedUrl()
    {
        Assert.False(RequestValidator.IsValid("https://mycompany.com/myapp.php?foo=1&bar=3", Params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", Token));
    }

    [Fact]
    public void RejectsATamperedParameter()
    {
        var tampered = Params.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "1235") : p);
        Assert.False(RequestValidator.IsValid(Url, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", Token));
    }

    [Fact]
    public void RejectsAnAddedParameter()
    {
        var added = Params.Append(new("Body", "hi"));
        Assert.False(RequestValidator.IsValid(Url, added, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", Token));
    }

    [Fact]
    public void RejectsAnotherAuthToken()
    {
        Assert.False(RequestValidator.IsValid(Url, Params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "54321"));
    }

    [Theory]
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")] // port removed
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=")] // as given
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")] // :443 added
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")] // :80 added
    public void AcceptsTheUrlWithOrWithoutItsPort(string url, string signature)
    {
        Assert.True(RequestValidator.IsValid(url, Params, signature, Token));
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
        Assert.True(RequestValidator.IsValid(url, Params, signature, Token));
    }

    [Theory]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2")]
    public void ALowerCasedHostsSignatureDoesNotFitAMixedCaseUrl(string url)
    {
        Assert.False(RequestValidator.IsValid(url, Params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", Token));
    }

    [Fact]
    public void SignsRepeatedParametersInValueOrder()
    {
        KeyValuePair<string, string>[] repeated =
        [
            new("Sid", "CA123"), new("SidAccount", "AC123"), new("Digits", "5678"), new("Digits", "1234"),
        ];
        Assert.True(RequestValidator.IsValid(Url, repeated, "IK+Dwps556ElfBT0I3Rgjkr1wJU=", Token));
    }

    [Fact]
    public void SignsAQuoteInABodyLiterally()
    {
        Assert.True(RequestValidator.IsValid(Url + "&Body=It's+amazing", Params, "dsq4Ehbj6cs+KdTkpF5sSSplOWw=", Token));
    }

    [Theory]
    [InlineData("https://a.example/x", "https://a.example:443/x")]
    [InlineData("http://a.example/x?y=1", "http://a.example:80/x?y=1")]
    [InlineData("https://a.example:8443/x", "https://a.example/x")]
    [InlineData("https://u:p@a.example/x", "https://u:p@a.example:443/x")]
    [InlineData("http://[::1]:5080/x", "http://[::1]/x")]
    [InlineData("http://[::1]/x", "http://[::1]:80/x")]
    public void TogglesThePort(string url, string expected)
    {
        Assert.Equal(expected, RequestValidator.WithPortToggled(url));
    }
}
