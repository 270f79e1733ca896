using System.Text;
using System.Xml;
using System.Xml.Linq;

using ServerlessFargate.Aws;

namespace ServerlessFargate.Aws.Protocol;

/// <summary>
/// AWS's query protocol (CloudFormation): a form-encoded POST with <c>Action</c> and
/// <c>Version</c>, an XML answer, and errors as <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;</c>.
/// https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
/// </summary>
internal sealed class QueryProtocol(AwsSession session, AwsService service, string version)
{
    /// <summary>Calls <paramref name="action"/> and returns its <c>&lt;ActionResult&gt;</c> element.</summary>
    public async Task<XElement> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancel)
    {
        var form = new StringBuilder($"Action={action}&Version={version}");
        foreach (var (name, value) in parameters)
        {
            form.Append('&').Append(SigV4.Escape(name)).Append('=').Append(SigV4.Escape(value));
        }
        var body = Encoding.UTF8.GetBytes(form.ToString());
        var text = await session.SendAsync(service, action, HttpMethod.Post, "/", body, "application/x-www-form-urlencoded; charset=utf-8",
            new Dictionary<string, string>(), ReadError, cancel).ConfigureAwait(false);
        var root = Parse(text, action);
        return root.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result") ?? new XElement(action + "Result");
    }

    private XElement Parse(string text, string action)
    {
        try
        {
            return XDocument.Parse(text).Root ?? throw new AwsException($"{service.DisplayName} {action} answered with an empty document");
        }
        catch (XmlException ex)
        {
            throw new AwsException($"{service.DisplayName} {action} answered with something that is not XML: {ex.Message}", inner: ex);
        }
    }

    private static (string? Code, string Message) ReadError(string text, HttpResponseMessage response)
    {
        try
        {
            var error = XDocument.Parse(text).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            if (error is not null)
            {
                return (error.Child("Code"), error.Child("Message") ?? $"HTTP {(int)response.StatusCode}");
            }
        }
        catch (XmlException)
        {
            // Not XML: the status line is all there is.
        }
        return (null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}

/// <summary>Reading query-protocol XML by local name (the answers carry a namespace per service version).</summary>
internal static class XmlRead
{
    public static string? Child(this XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    /// <summary>The child element of that local name (XElement.Element would want the namespace too).</summary>
    public static XElement? ChildElement(this XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>The <c>&lt;member&gt;</c> items of a list element.</summary>
    public static IEnumerable<XElement> Members(this XElement element, string listName) =>
        element.ChildElement(listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? [];
}
