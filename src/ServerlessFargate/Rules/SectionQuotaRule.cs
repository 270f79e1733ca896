using ServerlessFargate.Diagnostics;
using ServerlessFargate.Variables;

namespace ServerlessFargate.Rules;

/// <summary>
/// A quota on one section of the template (<c>Resources</c>, <c>Outputs</c>, <c>Parameters</c>):
/// what the written template holds there, plus what the stack holds beside it, is at most
/// <paramref name="max"/>.
/// </summary>
internal abstract class SectionQuotaRule(DiagnosticDescriptor descriptor, string section, int max) : TemplateRule(descriptor)
{
    public sealed override void Check(TemplateContext context, DiagnosticBag diagnostics)
    {
        var count = context.Count(section) + Existing(context.Existing);
        if (count > max)
        {
            diagnostics.Error(Descriptor, context.TasksSpan, Message(count, context), StackQuotas.Path);
        }
    }

    /// <summary>How many the stack holds beside the template (the framework's part, in plugin mode).</summary>
    protected abstract int Existing(StackCounts counts);

    /// <summary>What to say when the stack would hold <paramref name="count"/>, and what to change.</summary>
    protected abstract string Message(int count, TemplateContext context);
}
