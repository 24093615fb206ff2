package com.vlaapi.bench.portal;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.FleetCustomer;
import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The customer portal in real headless Chromium (Debian's chromium and chromedriver, driven by
 * Selenium), through nginx's HTTPS as customers reach it, against the whole local fleet: an
 * enterprise customer's admin accepts the invitation, the test sends requests with the customer's
 * key, and the portal must show the usage and cost PostgreSQL holds, the requests' instructions,
 * and a key it created working and then, revoked, refused by the API within a second. Every page
 * is screenshotted to target/portal-screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SCREENSHOTS = Path.of("target/portal-screenshots");
    private static final String PASSWORD = "a long browser password";
    private static final int REQUESTS = 7;

    @TempDir
    static Path nginxDir;
    @TempDir
    static Path chromeProfile;
    private static LocalFleet fleet;
    private static int tlsPort;
    private static ChromeDriver browser;
    private static UUID customerId;
    private static String customerKey;
    private static final List<String> instructions = new ArrayList<>();
    private static final List<EvalSet.Scene> scenes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startFleetNginxAndChromium() throws Exception {
        tlsPort = LocalFleet.freePort();
        fleet = new LocalFleet(ROOT).configure("customer-service",
                Map.of("VLA_CUSTOMER_PORTAL_PUBLIC_URL", portal("")));
        fleet.start();
        nginx("start");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--user-data-dir=" + chromeProfile);
        // nginx's certificate is the self-signed one nginx.sh generated for this run.
        options.setAcceptInsecureCerts(true);
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        browser.manage().window().setSize(new Dimension(1280, 1000));
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));

        FleetCustomer created = FleetCustomer.create(fleet, "Browser Robotics", "enterprise");
        customerId = created.id();
        customerKey = created.apiKey();
        List<EvalSet.Scene> all = EvalSet.read(ROOT.resolve("reference-policy/evalsets/tabletop-v1")).scenes();
        for (int i = 0; i < REQUESTS; i++) {
            scenes.add(all.get(i));
            instructions.add(all.get(i).instruction());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
            if (tlsPort != 0) {
                nginx("stop");
            }
        } finally {
            if (fleet != null) {
                fleet.close();
            }
        }
    }

    @Test
    @Order(1)
    void theInvitedAdminSetsAPasswordSignsOutAndSignsIn() throws Exception {
        JsonNode invited = admin("customer-service", "POST", "/admin/v1/customers/" + customerId + "/portal-users",
                "{\"email\": \"admin-" + UUID.randomUUID() + "@example.com\", \"role\": \"admin\"}", 201);
        String email = invited.get("email").asString();
        String link = invited.get("invitation_url").asString();
        assertTrue(link.startsWith(portal("/portal/invitations/")), link);

        browser.get(link);
        screenshot("set-password");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("repeated")).sendKeys(PASSWORD);
        browser.findElement(By.id("set-password")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().equals(portal("/portal")));
        assertEquals("Browser Robotics", browser.findElement(By.tagName("h1")).getText());

        browser.findElement(By.cssSelector("form.sign-out button")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().startsWith(portal("/portal/sign-in")));
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        screenshot("sign-in");
        browser.findElement(By.id("sign-in")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().equals(portal("/portal")));
    }

    @Test
    @Order(2)
    void theOverviewShowsTheUsageAndCostPostgresHolds() throws Exception {
        for (EvalSet.Scene scene : scenes) {
            assertEquals(200, infer(customerKey, scene).statusCode());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> billedThisMonth() == REQUESTS);
        long billed = billedThisMonth();
        // Enterprise: $2,500 a month plus $0.01 for every request.
        BigDecimal cost = new BigDecimal("2500.00").add(new BigDecimal("0.01").multiply(BigDecimal.valueOf(billed)));

        browser.get(portal("/portal"));
        screenshot("overview");
        assertEquals(grouped(billed), browser.findElement(By.id("usage-requests")).getText());
        assertEquals("1,000,000", browser.findElement(By.id("usage-quota")).getText());
        assertEquals("$" + money(cost), browser.findElement(By.id("cost-so-far")).getText());
        assertTrue(browser.findElement(By.id("daily-chart")).findElements(By.tagName("rect")).size() == 30,
                "a bar for each of the last 30 days");

        browser.manage().window().setSize(new Dimension(375, 800));
        browser.get(portal("/portal"));
        screenshot("overview-narrow");
        long overflow = (Long) browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0L, overflow, "nothing wider than a phone's screen");
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    @Test
    @Order(3)
    void recentRequestsListTheTestsInstructions() throws Exception {
        browser.get(portal("/portal/requests"));
        screenshot("requests");
        List<String> shown = browser.findElements(By.cssSelector("#requests td.instruction")).stream()
                .map(WebElement::getText).toList();
        assertTrue(shown.containsAll(instructions), "shown " + shown + ", sent " + instructions);

        browser.findElement(By.cssSelector("#requests tbody tr a")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().contains("/portal/requests/"));
        screenshot("request");
        assertTrue(instructions.contains(browser.findElement(By.xpath("//dt[.='Instruction']/following-sibling::dd[1]"))
                .getText()));
    }

    @Test
    @Order(4)
    void aKeyCreatedInThePortalWorksAndOnceRevokedIsRefusedWithinASecond() throws Exception {
        browser.get(portal("/portal/keys"));
        browser.findElement(By.id("key-name")).sendKeys("browser-key");
        browser.findElement(By.id("create-key")).click();
        WebElement field = await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElements(By.id("new-key")), found -> !found.isEmpty()).get(0);
        String key = field.getAttribute("value");
        screenshot("new-key");
        assertTrue(key.startsWith("vla_live_"), key);
        assertEquals(200, infer(key, scenes.get(0)).statusCode(), "the new key works against the API");

        browser.get(portal("/portal/keys"));
        screenshot("keys");
        WebElement row = browser.findElements(By.cssSelector("#keys tbody tr")).stream()
                .filter(r -> r.getText().contains("browser-key")).findFirst().orElseThrow();
        row.findElement(By.cssSelector("button.revoke")).click();
        browser.switchTo().alert().accept();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().equals(portal("/portal/keys")));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> infer(key, scenes.get(0)).statusCode() == 401);
        assertTrue(browser.getPageSource().contains("revoked"));
    }

    @Test
    @Order(5)
    void invoicesAndTeamPagesShowTheCustomersOwn() throws Exception {
        admin("billing-service", "POST", "/admin/v1/invoices/generate",
                "{\"month\": \"" + YearMonth.now(ZoneOffset.UTC) + "\"}", 200);
        browser.get(portal("/portal/invoices"));
        screenshot("invoices");
        assertEquals(1, browser.findElements(By.cssSelector("#invoices tbody tr")).size());
        assertTrue(browser.findElement(By.cssSelector("#invoices tbody tr")).getText().contains("draft"));

        browser.get(portal("/portal/team"));
        browser.findElement(By.id("invite-email")).sendKeys("viewer-" + UUID.randomUUID() + "@example.com");
        browser.findElement(By.cssSelector("#invite-form button")).click();
        WebElement link = await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.findElements(By.id("invitation-link")), found -> !found.isEmpty()).get(0);
        screenshot("team");
        assertTrue(link.getAttribute("value").startsWith(portal("/portal/invitations/")));
        assertEquals(2, browser.findElements(By.cssSelector("#team tbody tr")).size());
    }

    private HttpResponse<String> infer(String key, EvalSet.Scene scene) throws Exception {
        String body = "{\"image\": \"" + Base64.getEncoder().encodeToString(scene.imageBytes())
                + "\", \"instruction\": \"" + scene.instruction() + "\"}";
        return http.send(HttpRequest.newBuilder(fleet.url("gateway-service", "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What PostgreSQL holds: the customer's billable requests of this UTC month. */
    private static long billedThisMonth() throws Exception {
        try (Connection db = fleet.connect(); PreparedStatement query = db.prepareStatement("""
                SELECT count(*) FROM billing.usage_events
                WHERE customer_id = ? AND served_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'""")) {
            query.setObject(1, customerId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String grouped(long number) {
        return String.format(Locale.ROOT, "%,d", number);
    }

    private static String money(BigDecimal amount) {
        return new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(amount);
    }

    /** Saves the page's screenshot and checks what a screen reader needs of it. */
    private static void screenshot(String page) throws Exception {
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(page + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) browser.executeScript("""
                const problems = [];
                if (!document.documentElement.lang) problems.push('no lang on <html>');
                if (document.querySelectorAll('h1').length !== 1) problems.push('not exactly one h1');
                document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach(field => {
                  if (field.labels.length === 0 && !field.getAttribute('aria-label')) problems.push('no label: ' + field.outerHTML);
                });
                document.querySelectorAll('img').forEach(img => { if (!img.alt) problems.push('no alt: ' + img.outerHTML); });
                document.querySelectorAll('button, a').forEach(control => {
                  if (!control.textContent.trim() && !control.getAttribute('aria-label')) problems.push('no name: ' + control.outerHTML);
                });
                return problems;""");
        assertEquals(List.of(), problems, page + ": labels, names and structure");
    }

    private static String portal(String path) {
        return "https://127.0.0.1:" + tlsPort + path;
    }

    private static JsonNode admin(String service, String method, String path, String json, int expected) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(fleet.url(service, path))
                .header("Authorization", "Bearer " + fleet.adminToken).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    private static void nginx(String command) throws Exception {
        ProcessBuilder script = new ProcessBuilder("bash", ROOT.resolve("deploy/scripts/nginx.sh").toString(), command)
                .redirectErrorStream(true);
        script.environment().putAll(Map.of("VLA_NGINX_DIR", nginxDir.toString(), "VLA_TLS_PORT", String.valueOf(tlsPort),
                "VLA_TLS_UPSTREAMS", address("gateway-service"), "VLA_TLS_PORTAL", address("customer-service")));
        Process process = script.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "nginx.sh " + command + " finished");
        assertEquals(0, process.exitValue(), "nginx.sh " + command + ":\n" + output);
    }

    private static String address(String service) {
        return fleet.url(service, "").getAuthority();
    }
}
