using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using TokenAuthority.Model;
using TokenAuthority.Samples.Authority.Security;

namespace TokenAuthority.Samples.Authority.Hosting;

/// <summary>
/// Completes the OpenAPI document: the endpoints of <c>MapTokenAuthority()</c> (plain request delegates, which
/// the generator cannot see) and <c>/healthz</c> are described here, and the bearer token (admin or service account) is
/// declared as the document's security requirement, waived for the anonymous endpoints.
/// </summary>
internal sealed class AuthorityOpenApiDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string SecuritySchemeName = "adminToken";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "TokenAuthority sample: Authority";
        document.Info.Description = "A Kubernetes-compatible token authority (TokenRequest, TokenReview, OIDC discovery, JWKS) with a Kubernetes-shaped objects API. Everything but discovery, JWKS and /healthz requires a bearer token: the admin token (admin.token in the data directory) for everything, or a service-account token issued here for the API audience (kubectl create token) to get and list pods and service accounts of its own namespace.";

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The admin token from admin.token in the Authority's data directory, or a service-account token issued by the Authority for its API audience (read-only, its own namespace).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = [] }];

        var tokenRequest = await context.GetOrCreateSchemaAsync(typeof(TokenRequest), null, cancellationToken);
        var tokenReview = await context.GetOrCreateSchemaAsync(typeof(TokenReview), null, cancellationToken);
        var status = await context.GetOrCreateSchemaAsync(typeof(Status), null, cancellationToken);
        document.Paths ??= [];

        document.Paths["/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token"] = Path(HttpMethod.Post, new OpenApiOperation
        {
            OperationId = "createServiceAccountToken",
            Summary = "TokenRequest: issue a token for a service account (kubectl create token).",
            Tags = Tag(document, "TokenRequest"),
            Parameters = [PathParameter("namespace"), PathParameter("name")],
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "JSON, or Kubernetes protobuf as kubectl 1.32+ sends it.",
                Content = Json(tokenRequest),
            },
            Responses = Responses(("201", "The TokenRequest with status.token.", tokenRequest), ("401", "No token, or a wrong one.", status),
                ("403", "A token other than the admin token.", status), ("404", "The service account or the bound object does not exist.", status), ("422", "The request is invalid.", status)),
        });
        document.Paths["/apis/authentication.k8s.io/v1/tokenreviews"] = Path(HttpMethod.Post, new OpenApiOperation
        {
            OperationId = "createTokenReview",
            Summary = "TokenReview: verify a token, including that its service account and bound object still exist.",
            Tags = Tag(document, "TokenReview"),
            RequestBody = new OpenApiRequestBody { Required = true, Content = Json(tokenReview) },
            Responses = Responses(("201", "The TokenReview with status.authenticated and the user.", tokenReview), ("401", "No token, or a wrong one.", status),
                ("403", "A service-account token (TokenReview takes the admin or the reviewer token).", status)),
        });
        document.Paths["/.well-known/openid-configuration"] = Anonymous(HttpMethod.Get, "getOpenIdConfiguration", "OIDC discovery document (anonymous).", document, "Discovery");
        document.Paths["/openid/v1/jwks"] = Anonymous(HttpMethod.Get, "getJsonWebKeySet", "The public keys that verify tokens (anonymous).", document, "Discovery");
        document.Paths["/healthz"] = Anonymous(HttpMethod.Get, "getHealth", "Healthy when the object database answers (anonymous).", document, "Health");
    }

    private static OpenApiPathItem Path(HttpMethod method, OpenApiOperation operation) =>
        new() { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [method] = operation } };

    private static OpenApiPathItem Anonymous(HttpMethod method, string id, string summary, OpenApiDocument document, string tag) =>
        Path(method, new OpenApiOperation
        {
            OperationId = id,
            Summary = summary,
            Tags = Tag(document, tag),
            Security = [],
            Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "OK" } },
        });

    private static HashSet<OpenApiTagReference> Tag(OpenApiDocument document, string name) => [new OpenApiTagReference(name, document)];

    private static OpenApiParameter PathParameter(string name) =>
        new() { Name = name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };

    private static Dictionary<string, OpenApiMediaType> Json(IOpenApiSchema schema) => new() { ["application/json"] = new OpenApiMediaType { Schema = schema } };

    private static OpenApiResponses Responses(params (string Code, string Description, IOpenApiSchema Schema)[] responses)
    {
        var result = new OpenApiResponses();
        foreach (var (code, description, schema) in responses)
        {
            result[code] = new OpenApiResponse { Description = description, Content = Json(schema) };
        }

        return result;
    }
}
