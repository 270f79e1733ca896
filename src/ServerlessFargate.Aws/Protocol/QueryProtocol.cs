using System.Text;
using System.Xml;
using System.Xml.Linq;

using ServerlessFargate.Aws;

namespace ServerlessFargate.Aws.Protocol;

/// <summary>
/// AWS's query protocol (CloudFormation, STS): a form-encoded POST with <c>Action</c> and
/// <c>Version</c>, an XML answer <c>&lt;ActionResponse&gt;&lt;ActionResult&gt;</c>, and errors as
/// <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;</c>.
/// https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
/// </summary>
internal sealed class QueryProtocol(AwsSession session, AwsService service, string version)
{
    /// <summary>Calls <paramref name="action"/> and reads its <c>&lt;ActionResult&gt;</c> element with <paramref name="read"/>.</summary>
    public async Task<T> CallAsync<T>(string action, IEnumerable<KeyValuePair<string, string>> parameters, Func<XElement, T> read, CancellationToken cancel,
        bool write = false)
    {
        var form = new StringBuilder($"Action={action}&Version={version}");
        foreach (var (name, value) in parameters)
        {
            form.Append('&').Append(SigV4.Escape(name)).Append('=').Append(SigV4.Escape(value));
        }
        var call = new AwsRequest(service, action, HttpMethod.Post, session.Endpoint(service), Encoding.UTF8.GetBytes(form.ToString()),
            "application/x-www-form-urlencoded; charset=utf-8", new Dictionary<string, string>(), write);
        var answer = await session.SendAsync(call, XmlError.Read, cancel).ConfigureAwait(false);
        var root = XmlError.Parse(answer.Body, service, action, write);
        // The answer must be this action's: an HTML page that happens to be well-formed XML, or
        // another operation's answer, would otherwise read as "no stacks" or "no changes".
        var result = root.Name.LocalName == action + "Response" ? root.ChildElement(action + "Result") : null;
        if (result is null)
        {
            // Actions that return nothing (DeleteStack) answer with only ResponseMetadata.
            if (root.Name.LocalName == action + "Response" && !root.Elements().Any(e => e.Name.LocalName != "ResponseMetadata"))
            {
                result = new XElement(action + "Result");
            }
            else
            {
                throw AwsException.Unexpected(service, action, $"a <{root.Name.LocalName}> document without <{action}Result>", write);
            }
        }
        try
        {
            return read(result);
        }
        catch (UnexpectedAnswerException ex)
        {
            throw AwsException.Unexpected(service, action, ex.Message, write);
        }
    }

    public Task CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancel, bool write = false) =>
        CallAsync(action, parameters, _ => true, cancel, write);

    /// <summary>
    /// Calls a paginated action page after page (<c>NextToken</c>), each page's result handed to
    /// <paramref name="page"/>, until there is no next page or <paramref name="page"/> says stop;
    /// a token that repeats, or more than <paramref name="maxPages"/> pages, ends it (<see cref="PageGuard"/>).
    /// </summary>
    public async Task PagesAsync(string action, IReadOnlyList<KeyValuePair<string, string>> parameters, int maxPages, Func<XElement, bool> page, CancellationToken cancel)
    {
        var guard = new PageGuard(service, action, maxPages);
        string? token = null;
        var more = true;
        do
        {
            IEnumerable<KeyValuePair<string, string>> call = token is null ? parameters : [.. parameters, new("NextToken", token)];
            more = await CallAsync(action, call, result =>
            {
                // The token is checked before the page is read: a page handed out again is that fault.
                token = guard.Next(result.Child("NextToken"));
                return page(result);
            }, cancel).ConfigureAwait(false);
        }
        while (more && token is not null);
    }
}

/// <summary>The XML of query and S3 answers: parsing with limits, and errors.</summary>
internal static class XmlError
{
    /// <summary>
    /// Deeper than any answer AWS gives (a DescribeChangeSet change is about 6 levels down). A
    /// document nested hundreds of thousands deep would overflow the stack of the tree that reads
    /// it (XElement.Value recurses), which no catch can stop.
    /// </summary>
    private const int MaxDepth = 32;

    /// <summary>Parses an answer; anything that is not XML, or nested too deep, is an unexpected answer. DTDs are refused (no entity expansion).</summary>
    public static XElement Parse(string text, AwsService service, string operation, bool write)
    {
        try
        {
            return Load(text)?.Root ?? throw AwsException.Unexpected(service, operation, "an empty document", write);
        }
        catch (XmlException ex)
        {
            throw AwsException.Unexpected(service, operation, $"not XML: {AwsSession.FirstLine(ex.Message)}", write);
        }
    }

    /// <summary>The document, read twice: once only to measure its depth, then into a tree.</summary>
    private static XDocument? Load(string text)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using (var measure = XmlReader.Create(new StringReader(text), settings))
        {
            while (measure.Read())
            {
                if (measure.Depth > MaxDepth)
                {
                    throw new XmlException($"nested over {MaxDepth} levels deep");
                }
            }
        }
        using var reader = XmlReader.Create(new StringReader(text), settings);
        return XDocument.Load(reader);
    }

    /// <summary>The code and message of <c>&lt;Error&gt;</c>, wherever it is (query: under ErrorResponse; S3: the root).</summary>
    public static (string? Code, string Message) Read(string text, HttpResponseMessage response)
    {
        try
        {
            var root = Load(text)?.Root;
            var error = root?.Name.LocalName == "Error" ? root : root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            if (error is not null)
            {
                return (error.Child("Code"), error.Child("Message") ?? $"HTTP {(int)response.StatusCode}");
            }
        }
        catch (XmlException)
        {
            // Not XML (a proxy's page, or an S3 HEAD-like answer): the status line is all there is.
        }
        return (null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}

/// <summary>Reading query-protocol XML by local name (the answers carry a namespace per service version).</summary>
internal static class XmlRead
{
    public static string? Child(this XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>A child the answer must have.</summary>
    public static string Required(this XElement element, string name) =>
        element.Child(name) is { Length: > 0 } value ? value : throw new UnexpectedAnswerException($"<{name}> is missing");

    /// <summary>The child element of that local name (XElement.Element would want the namespace too).</summary>
    public static XElement? ChildElement(this XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>The <c>&lt;member&gt;</c> items of a list element.</summary>
    public static IEnumerable<XElement> Members(this XElement element, string listName) =>
        element.ChildElement(listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];
}

/// <summary>
/// Guards a loop over pages: a service (or something pretending to be one) that hands out the
/// same token again, or tokens without end, stops the loop with one line instead of holding the
/// command for ever.
/// </summary>
internal sealed class PageGuard(AwsService service, string operation, int maxPages)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private int _pages;

    /// <summary>The token to ask with next, or null when the last page was read.</summary>
    public string? Next(string? token)
    {
        _pages++;
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        if (!_seen.Add(token))
        {
            throw AwsException.Unexpected(service, operation, "the same page token twice; stopped reading");
        }
        if (_pages >= maxPages)
        {
            throw new AwsException($"{service.DisplayName} {operation}: more than {maxPages} pages; stopped reading");
        }
        return token;
    }
}
