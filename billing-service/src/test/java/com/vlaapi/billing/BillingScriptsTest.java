package com.vlaapi.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.billing.support.BillingIntegrationTest;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands bin/vla invoices and bin/vla report against the real service. */
class BillingScriptsTest extends BillingIntegrationTest {

    record Run(int exitCode, String stdout, String stderr) {
    }

    @TempDir
    Path dir;

    @Test
    void invoicesGeneratesExportsAndSummarises() throws Exception {
        UUID acme = createCustomer("Acme Robotics", "enterprise", Instant.parse("2024-01-01T00:00:00Z"));
        createCustomer("TechCorp", "pro", Instant.parse("2024-01-01T00:00:00Z"));
        deliver(spread(acme, 36_450, Instant.parse("2025-09-01T00:00:00Z"), Instant.parse("2025-10-01T00:00:00Z")),
                10_000);

        Run first = run(ADMIN_TOKEN, "invoices.sh", "--month", "2025-09", "--out", dir.toString());
        Run second = run(ADMIN_TOKEN, "invoices.sh", "--month", "2025-09", "--out", dir.toString());

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(first.stdout()).contains("Acme Robotics", "enterprise", "36,450", "2,500.00", "364.50", "2,864.50",
                "TechCorp", "500.00", "2 invoices");
        List<String> csv = Files.readAllLines(dir.resolve("invoices-2025-09.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("invoice_id,customer_id,company_name");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> html = files.filter(p -> p.toString().endsWith(".html")).toList();
            assertThat(html).hasSize(2);
            String acmeHtml = Files.readString(html.stream().filter(p -> p.toString().contains("acme-robotics"))
                    .findFirst().orElseThrow());
            assertThat(acmeHtml).contains("$2,864.50");
        }
        assertThat(db().queryForObject("SELECT count(*) FROM billing.invoices WHERE period_start = '2025-09-01'",
                Long.class)).isEqualTo(2);
    }

    @Test
    void invoicesExplainsMistakes() throws Exception {
        Run noMonth = run(ADMIN_TOKEN, "invoices.sh");
        Run badMonth = run(ADMIN_TOKEN, "invoices.sh", "--month", "2025-9");
        Run future = run(ADMIN_TOKEN, "invoices.sh", "--month", "2999-01", "--out", dir.toString());
        Run wrongToken = run("wrong", "invoices.sh", "--month", "2025-01", "--out", dir.toString());

        assertThat(noMonth.exitCode()).isEqualTo(2);
        assertThat(noMonth.stderr()).contains("--month YYYY-MM is required");
        assertThat(badMonth.exitCode()).isEqualTo(2);
        assertThat(future.exitCode()).isEqualTo(1);
        assertThat(future.stderr()).contains("has not started yet");
        assertThat(wrongToken.exitCode()).isEqualTo(1);
        assertThat(wrongToken.stderr()).contains("rejected the admin token").doesNotContain("wrong");
    }

    @Test
    void reportWritesCsvAndHtmlPrintsATableAndShowsProgress() throws Exception {
        UUID robots = createCustomer("Report Robotics", "enterprise", Instant.parse("2024-01-01T00:00:00Z"));
        pinClock(Instant.parse("2028-02-29T10:15:30Z"));
        YearMonth month = YearMonth.of(2028, 2);
        logRequest(robots, month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC), 200, 3.0, 6.0, 0.75);
        Path csv = dir.resolve("monthly.csv");

        Run monthly = run(ADMIN_TOKEN, Map.of("VLA_REPORT_PROGRESS", "always"), "report.sh", "monthly",
                "--month", month.toString(), "--out", csv.toString(), "--html");
        Run weekly = run(ADMIN_TOKEN, Map.of(), "report.sh", "weekly", "--html");
        Run badWeek = run(ADMIN_TOKEN, Map.of(), "report.sh", "weekly", "--week", "2025-W99");

        assertThat(monthly.exitCode()).as(monthly.stderr()).isZero();
        assertThat(monthly.stderr()).contains("reading 29/29 days");
        assertThat(monthly.stdout()).contains("Monthly report " + month, "Report Robotics", "2,500.01", "enterprise");
        assertThat(Files.readAllLines(csv)).contains("company,tier,requests,avg_latency_ms,avg_safety_score,revenue",
                "Report Robotics,enterprise,1,3.00,0.7500,2500.01");
        Path html = dir.resolve("monthly.html");
        assertThat(monthly.stdout()).contains("Written: " + csv, "Written: " + html);
        assertThat(Files.readString(html)).contains("<title>Monthly report 2028-02</title>", "Report Robotics",
                "$2,500.01", "<img id=\"chart-latency\"");
        assertThat(weekly.exitCode()).as(weekly.stderr()).isZero();
        // Without --out: the default names, in the working directory.
        assertThat(weekly.stdout()).contains("Weekly report 2028-W09", "Written: report-weekly-2028-W09.csv",
                "Written: report-weekly-2028-W09.html");
        assertThat(Files.readString(dir.resolve("report-weekly-2028-W09.html"))).contains("Weekly report 2028-W09");
        assertThat(badWeek.exitCode()).isEqualTo(1);
        assertThat(badWeek.stderr()).contains("invalid_week");
    }

    private Run run(String token, String script, String... args) throws Exception {
        return run(token, Map.of(), script, args);
    }

    private Run run(String token, Map<String, String> env, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(RepoPaths.root().resolve("deploy/scripts").resolve(script).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("VLA_ADMIN_TOKEN", token);
        builder.environment().put("VLA_BILLING_URL", "http://127.0.0.1:" + port());
        builder.environment().putAll(env);
        // Files, not pipes: a full pipe the test is not reading would block the script.
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }
}
