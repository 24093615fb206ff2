package com.vlaapi.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.testsupport.openapi.OpenApiDocument;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code GET /v1/openapi.json} is docs/openapi.json byte for byte, a valid OpenAPI 3.1 document,
 * and {@code GET /v1/docs} is Swagger UI reading it from the gateway alone; neither needs an API
 * key nor passes the limits, and both are in the access log.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiDocsTest extends GatewayOnStandInsTest {

    /** An address that has used up its failed authentications (the test client is a trusted proxy). */
    private static final String REFUSED_ADDRESS = "203.0.113.9";

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("vla.gateway.failed-authentications-per-minute", () -> "1");
        registry.add("vla.gateway.trusted-proxies", () -> "127.0.0.1");
    }

    @Test
    void theDocumentIsTheCommittedFileByteForByteAndCacheable() throws Exception {
        HttpResponse<byte[]> served = get("/v1/openapi.json", null);

        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(Files.readAllBytes(OpenApiDocument.committedFile()));
        assertThat(served.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(served.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=300");
        UUID.fromString(served.headers().firstValue("X-Request-Id").orElseThrow());
        String etag = served.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> again = get("/v1/openapi.json", etag);
        assertThat(again.statusCode()).as("unchanged since the client's copy").isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void theDocumentIsOpenApi31WithoutErrors() throws Exception {
        String served = new String(get("/v1/openapi.json", null).body(), StandardCharsets.UTF_8);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(served, null, options);

        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getPaths().get("/v1/inference").getPost().getResponses()).containsKey("429");
    }

    @Test
    void theDocsPageIsSwaggerUiServedByTheGatewayAlone() throws Exception {
        HttpResponse<byte[]> page = get("/v1/docs", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html).contains("src=\"docs/swagger-ui-bundle.js\"", "href=\"docs/swagger-ui.css\"",
                "url: \"openapi.json\"", "validatorUrl: null");
        assertThat(html).as("everything from the gateway: no CDN").doesNotContain("http:", "https:", "//");

        HttpResponse<byte[]> script = get("/v1/docs/swagger-ui-bundle.js", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(new String(script.body(), StandardCharsets.UTF_8)).contains("SwaggerUIBundle");
        HttpResponse<byte[]> css = get("/v1/docs/swagger-ui.css", null);
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");

        // The rest of the webjar (its sample page points at an outside document) is not served.
        assertThat(get("/v1/docs/index.html", null).statusCode()).isEqualTo(404);
        assertThat(get("/webjars/swagger-ui/index.html", null).statusCode()).isEqualTo(404);
    }

    @Test
    void neitherNeedsAKeyNorPassesTheLimitsAndBothAreLogged(CapturedOutput output) throws Exception {
        int lookups = standIns.keyLookups.get();
        assertThat(inferWithoutKey().statusCode()).isEqualTo(401);
        assertThat(inferWithoutKey().statusCode()).as("the address is now refused").isEqualTo(429);

        assertThat(get("/v1/openapi.json", null).statusCode()).isEqualTo(200);
        assertThat(get("/v1/docs", null).statusCode()).isEqualTo(200);

        assertThat(standIns.keyLookups.get()).isEqualTo(lookups);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getOut())
                .contains("GET /v1/openapi.json 200").contains("GET /v1/docs 200"));
    }

    private HttpResponse<byte[]> get(String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("X-Forwarded-For", REFUSED_ADDRESS).GET();
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> inferWithoutKey() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("X-Forwarded-For", REFUSED_ADDRESS)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
