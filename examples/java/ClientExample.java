import com.vlaapi.client.ActionResult;
import com.vlaapi.client.RateLimitInfo;
import com.vlaapi.client.VlaClient;
import com.vlaapi.client.VlaException;
import java.nio.file.Path;

/**
 * One request to the VLA API through the Java client (clients/java): retries, typed errors and the
 * rate-limit headers come with it. The command (examples/java/README.md), from the repository root:
 *
 * <pre>
 * mvn -q -pl clients/java -am -DskipTests package
 * VLA_API_KEY=vla_live_... VLA_API_URL=http://127.0.0.1:8080 \
 *   java -cp "clients/java/target/vla-client.jar:clients/java/target/lib/*" examples/java/ClientExample.java [IMAGE.png] ["INSTRUCTION"]
 * </pre>
 */
public class ClientExample {

    public static void main(String[] args) {
        String apiKey = System.getenv("VLA_API_KEY");
        if (apiKey == null || apiKey.isBlank()) {
            System.err.println("Set VLA_API_KEY to your API key (vla_live_...).");
            System.exit(2);
        }
        Path image = Path.of(args.length > 0 ? args[0] : "reference-policy/evalsets/tabletop-v1/images/0001.png");
        String instruction = args.length > 1 ? args[1] : "go to the purple tube";

        // The base URL is VLA_API_URL's, else http://127.0.0.1:8080.
        VlaClient client = VlaClient.builder(apiKey).build();
        try {
            ActionResult result = client.act(image, instruction);
            System.out.println("action: " + result.values());
            System.out.println("request id: " + result.requestId() + " (" + result.attempts() + " attempt(s))");
            result.rateLimit().burst().map(RateLimitInfo.Window::remaining)
                    .ifPresent(left -> System.out.println("requests left this minute: " + left));
        } catch (VlaException e) {
            // Typed: InvalidRequestException, AuthenticationException, RateLimitException, ... (see clients/java/README.md)
            System.err.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
