using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;
using ServerlessFargate.Schema;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3005: a task's image is a name in <c>provider.ecr.images</c> or an image URI. A bare word
/// such as <c>app</c> is not taken as Docker Hub's <c>app</c> image: it is far more often a typo
/// of an ECR image name, so a public image must be written with a tag (<c>nginx:1.27</c>).
/// </summary>
internal sealed partial class ImageRule() : Rule(new("FG3005", "image cannot be resolved", Severity.Error,
    "An `image` that is neither a name in `provider.ecr.images` nor an image URI. A bare word such as `nginx` is refused on purpose: it is more often a typo of an ECR image name.",
    Source: null))
{
    // registry/repository[:tag][@sha256:digest], as Docker's reference grammar has it.
    [GeneratedRegex(@"^(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImageReference();

    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var names = context.Model.EcrImageNames;
        foreach (var task in context.Tasks)
        {
            if (task.Image is not TaskImage.Reference { Value: var image } || LooksLikeUri(image.Value))
            {
                continue;
            }
            var suggestion = DidYouMean.Closest(image.Value, names);
            var known = names.Count == 0 ? "provider.ecr.images defines no images" : $"provider.ecr.images defines {string.Join(", ", names)}";
            diagnostics.Error(Descriptor, image.Span,
                $"image `{image.Value}` is neither a name in provider.ecr.images nor an image URI ({known})" +
                (suggestion is not null ? $"; did you mean `{suggestion}`?" : "; write a URI such as `public.ecr.aws/docker/library/nginx:1.27` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:…`"),
                $"fargate.tasks.{task.Key}.image", suggestion);
        }
    }

    private static bool LooksLikeUri(string value) => value.IndexOfAny(['/', ':', '@']) >= 0 && ImageReference().IsMatch(value);
}
