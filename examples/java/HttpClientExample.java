import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request to the VLA API with nothing but the JDK (java.net.http), no library and no classpath:
 *
 * <pre>
 * VLA_API_KEY=vla_live_... VLA_API_URL=http://127.0.0.1:8080 java examples/java/HttpClientExample.java [IMAGE.png] ["INSTRUCTION"]
 * </pre>
 *
 * Run from the repository root (the default image is one of the evaluation set's). The JSON is
 * written by hand and the action read with a regular expression, to stay one file; for retries,
 * typed errors and the rate-limit headers use the client library (ClientExample.java).
 */
public class HttpClientExample {

    public static void main(String[] args) throws Exception {
        String apiKey = System.getenv("VLA_API_KEY");
        if (apiKey == null || apiKey.isBlank()) {
            System.err.println("Set VLA_API_KEY to your API key (vla_live_...).");
            System.exit(2);
        }
        String baseUrl = System.getenv().getOrDefault("VLA_API_URL", "http://127.0.0.1:8080");
        Path image = Path.of(args.length > 0 ? args[0] : "reference-policy/evalsets/tabletop-v1/images/0001.png");
        String instruction = args.length > 1 ? args[1] : "go to the purple tube";

        String body = "{\"image\": \"" + Base64.getEncoder().encodeToString(Files.readAllBytes(image)) + "\", "
                + "\"instruction\": \"" + jsonEscape(instruction) + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "") + "/v1/inference"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        if (response.statusCode() != 200) {
            // Every error has the same body: {"error": {"type", "code", "message", "request_id"}}.
            System.err.println("HTTP " + response.statusCode() + ": " + response.body());
            System.exit(1);
        }
        Matcher values = Pattern.compile("\"values\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(response.body());
        if (!values.find()) {
            System.err.println("No action in the answer: " + response.body());
            System.exit(1);
        }
        System.out.println("action: [" + values.group(1).replaceAll("\\s*,\\s*", ", ").trim() + "]");
        System.out.println("request id: " + response.headers().firstValue("X-Request-Id").orElse("?"));
    }

    /** A JSON string's content: quotes, backslashes and control characters escaped. */
    private static String jsonEscape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
