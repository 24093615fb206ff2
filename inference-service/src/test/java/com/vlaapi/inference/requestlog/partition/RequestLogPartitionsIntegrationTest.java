package com.vlaapi.inference.requestlog.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.inference.requestlog.InferenceLogEntry;
import com.vlaapi.inference.requestlog.RequestLogWriter;
import com.vlaapi.inference.support.Gateway;
import com.vlaapi.inference.testdatabase.OwnTestDatabase;
import com.vlaapi.testsupport.clock.MutableClock;
import com.vlaapi.testsupport.database.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * The monthly partitions of inference_logs with the service's clock pinned: next month's exists
 * before it starts, a row lands in its month's partition on either side of midnight, rows of a
 * month without a partition wait in the default one until maintenance gives them theirs, and
 * retention drops exactly the months entirely older than it, ids included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vla.internal-token=" + Gateway.TOKEN,
        "vla.inference.usage-relay.enabled=false",
        "vla.inference.request-log.partitions-ahead=1",
        "vla.inference.request-log.retention=3m"})
@Import(OwnTestDatabase.class)
@DirtiesContext
class RequestLogPartitionsIntegrationTest {

    /** The 28th of a 28-day month: tomorrow is a new month. */
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2027-02-28T12:00:00Z"));

    @TestBean
    Clock clock;
    @Autowired
    TestDatabase database;
    private JdbcTemplate db;

    @Autowired
    RequestLogWriter requestLog;
    @Autowired
    RequestLogPartitions partitions;

    static Clock clock() {
        return CLOCK;
    }

    @BeforeEach
    void connect() {
        db = database.jdbc();
    }

    @Test
    void nextMonthsPartitionExistsBeforeItStartsAndEachSideOfMidnightLandsInItsMonth() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(partitions.monthlyPartitions())
                .as("started on the 28th, the service created the current and the next month")
                .contains(YearMonth.of(2027, 2), YearMonth.of(2027, 3)));

        UUID lastOfFebruary = log(Instant.parse("2027-02-28T23:59:59.999999Z"));
        UUID firstOfMarch = log(Instant.parse("2027-03-01T00:00:00Z"));

        assertThat(partitionOf(lastOfFebruary)).isEqualTo("inference.inference_logs_2027_02");
        assertThat(partitionOf(firstOfMarch)).isEqualTo("inference.inference_logs_2027_03");
    }

    @Test
    void retentionDropsOnlyMonthsEntirelyOlderThanIt() {
        UUID october = log(Instant.parse("2026-10-15T08:00:00Z"));
        UUID endOfNovember = log(Instant.parse("2026-11-30T23:59:59.999999Z"));
        UUID startOfDecember = log(Instant.parse("2026-12-01T00:00:00Z"));
        UUID january = log(Instant.parse("2027-01-20T08:00:00Z"));
        assertThat(partitionOf(october)).as("a month without a partition").isEqualTo("inference.inference_logs_default");

        // Three months before this instant is 2026-12-01T00:00Z: October and November are entirely
        // older; December's first row is exactly as old as the retention, so December stays.
        CLOCK.set(Instant.parse("2027-03-01T00:00:00Z"));
        partitions.maintain(CLOCK.instant());

        assertThat(partitions.monthlyPartitions()).doesNotContain(YearMonth.of(2026, 10), YearMonth.of(2026, 11))
                .contains(YearMonth.of(2026, 12), YearMonth.of(2027, 1), YearMonth.of(2027, 3), YearMonth.of(2027, 4));
        assertThat(db.queryForObject("SELECT count(*) FROM inference.inference_logs_default", Long.class))
                .as("the default partition's rows moved to their month's partition").isZero();
        assertThat(logged(october, endOfNovember, startOfDecember, january))
                .containsExactlyInAnyOrder(startOfDecember, january);
        assertThat(db.queryForList("SELECT request_id FROM inference.logged_request_ids WHERE request_id IN (?, ?, ?, ?)",
                UUID.class, october, endOfNovember, startOfDecember, january))
                .as("ids are forgotten with their partition").containsExactlyInAnyOrder(startOfDecember, january);
        assertThat(partitionOf(startOfDecember)).isEqualTo("inference.inference_logs_2026_12");
        assertThat(db.queryForObject("SELECT count(*) FROM inference.request_log_v1 WHERE request_id = ?", Long.class,
                january)).as("the read model reads the kept partitions").isEqualTo(1);
    }

    /** Logs one successful request at {@code at} as the service does and waits until it is stored; returns its id. */
    private UUID log(Instant at) {
        InferenceLogEntry entry = new InferenceLogEntry(UUID.randomUUID(), UUID.randomUUID(), null, at, "tabletop-v1",
                "1.0.0", null, "pick up the cube", new double[7], 1.0, 2.0, 200, null, 10, 8, 8, 1, null, null, null, null, null);
        requestLog.record(entry);
        await().atMost(Duration.ofSeconds(30)).until(() -> db.queryForObject(
                "SELECT count(*) FROM inference.inference_logs WHERE request_id = ?", Long.class, entry.requestId()) == 1);
        return entry.requestId();
    }

    private String partitionOf(UUID requestId) {
        return db.queryForObject("SELECT tableoid::regclass::text FROM inference.inference_logs WHERE request_id = ?",
                String.class, requestId);
    }

    private List<UUID> logged(UUID a, UUID b, UUID c, UUID d) {
        return db.queryForList("SELECT request_id FROM inference.inference_logs WHERE request_id IN (?, ?, ?, ?)",
                UUID.class, a, b, c, d);
    }
}
