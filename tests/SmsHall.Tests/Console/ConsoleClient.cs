using System.Net;
using System.Text.RegularExpressions;

namespace SmsHall.Tests.Console;

/// <summary>The console over plain HTTP, with a cookie jar: for antiforgery, role and cross-node checks below the browser.</summary>
public sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleClient(CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Shared by clients that stand for one browser talking to several nodes.</summary>
    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url);

    /// <summary>The antiforgery token of the form on a page.</summary>
    public async Task<string> TokenAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        var match = TokenField().Match(html);
        Assert.True(match.Success, $"no antiforgery token on {url}: {(int)response.StatusCode}");
        return match.Groups[1].Value;
    }

    /// <summary>Posts a form; with <paramref name="token"/> as the antiforgery token when given.</summary>
    public Task<HttpResponseMessage> PostAsync(string url, string? token, params (string Name, string Value)[] fields)
    {
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        if (token is not null) form.Add(new("__RequestVerificationToken", token));
        return _http.PostAsync(url, new FormUrlEncodedContent(form));
    }

    /// <summary>Signs in through <paramref name="baseUrl"/>'s form; returns where the answer sends the browser (or the status).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string baseUrl, string name, string password = ConsoleSite.Password, string? tokenFrom = null)
    {
        var token = await TokenAsync((tokenFrom ?? baseUrl) + "/console/sign-in");
        return await PostAsync(baseUrl + "/console/sign-in", token, ("name", name), ("password", password));
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
