package com.vlaapi.inference.requestlog.partition;

import com.vlaapi.inference.requestlog.RequestLogProperties;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The monthly partitions of {@code inference.inference_logs} (V7 made it partitioned by UTC month
 * on "timestamp"): one table {@code inference_logs_YYYY_MM} per month. {@link #maintain} moves rows
 * that landed in the default partition (their month had none) into partitions of their own,
 * creates the current month's and the next {@code partitions-ahead} months' before any row needs
 * them, and, with a retention, detaches and drops the months that are entirely older than it,
 * with their ids in {@code logged_request_ids}.
 *
 * <p>Each change is a transaction of its own that first takes one advisory lock, so instances
 * maintaining the same database at once take turns, and each re-checks what exists under it.
 * Attaching and detaching wait at most {@value #LOCK_TIMEOUT} for the table's lock rather than
 * queue the request log's inserts behind a long report; a change that times out is retried.
 */
@Component
class RequestLogPartitions {

    private static final Logger log = LoggerFactory.getLogger(RequestLogPartitions.class);
    private static final String LOCK_TIMEOUT = "5s";
    private static final Pattern MONTHLY = Pattern.compile("inference_logs_(\\d{4})_(\\d{2})");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'inference_logs_'yyyy_MM");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final RequestLogProperties properties;

    RequestLogPartitions(JdbcTemplate jdbc, PlatformTransactionManager transactions, RequestLogProperties properties) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.properties = properties;
    }

    /** Everything above, as of {@code now}. */
    void maintain(Instant now) {
        YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
        TreeSet<YearMonth> wanted = new TreeSet<>(monthsInDefaultPartition());
        for (int ahead = 0; ahead <= properties.partitionsAhead(); ahead++) {
            wanted.add(current.plusMonths(ahead));
        }
        wanted.removeAll(monthlyPartitions());
        wanted.forEach(this::create);
        if (properties.retention() != null) {
            Instant cutoff = now.atZone(ZoneOffset.UTC).minus(properties.retention()).toInstant();
            monthlyPartitions().stream().filter(month -> !start(month.plusMonths(1)).isAfter(cutoff))
                    .forEach(this::drop);
        }
    }

    /** The months that have a partition of their own, oldest first. */
    List<YearMonth> monthlyPartitions() {
        return jdbc.queryForList("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'inference.inference_logs'::regclass""", String.class).stream()
                .map(MONTHLY::matcher).filter(Matcher::matches)
                .map(m -> YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
                .sorted().toList();
    }

    private List<YearMonth> monthsInDefaultPartition() {
        return jdbc.queryForList("""
                SELECT DISTINCT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM')
                FROM inference.inference_logs_default""", String.class).stream().map(YearMonth::parse).toList();
    }

    /**
     * Creates the month's partition with the rows the default partition holds of it: built as a
     * table of its own, filled, then attached (creating it as a partition directly fails while
     * the default partition holds rows of its range).
     */
    private void create(YearMonth month) {
        String table = name(month);
        Integer moved = transaction.execute(status -> {
            lock();
            if (exists(table)) {
                return null;
            }
            jdbc.execute("CREATE TABLE inference." + table
                    + " (LIKE inference.inference_logs INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            int rows = jdbc.update("INSERT INTO inference." + table + " SELECT * FROM inference.inference_logs_default"
                    + " WHERE \"timestamp\" >= ? AND \"timestamp\" < ?", utc(month), utc(month.plusMonths(1)));
            jdbc.update("DELETE FROM inference.inference_logs_default WHERE \"timestamp\" >= ? AND \"timestamp\" < ?",
                    utc(month), utc(month.plusMonths(1)));
            jdbc.execute("ALTER TABLE inference.inference_logs ATTACH PARTITION inference." + table
                    + " FOR VALUES FROM ('" + start(month) + "') TO ('" + start(month.plusMonths(1)) + "')");
            return rows;
        });
        if (moved != null) {
            log.info("request log: created partition {} for {} ({} rows moved in from the default partition)",
                    table, month, moved);
        }
    }

    /** Detaches and drops the month's partition and forgets its request ids. */
    private void drop(YearMonth month) {
        String table = name(month);
        Integer ids = transaction.execute(status -> {
            lock();
            if (!exists(table)) {
                return null;
            }
            jdbc.execute("ALTER TABLE inference.inference_logs DETACH PARTITION inference." + table);
            jdbc.execute("DROP TABLE inference." + table);
            return jdbc.update("DELETE FROM inference.logged_request_ids WHERE \"timestamp\" < ?", utc(month.plusMonths(1)));
        });
        if (ids != null) {
            log.info("request log: dropped partition {} ({} is older than the retention of {}; {} request ids forgotten)",
                    table, month, properties.retention(), ids);
        }
    }

    private void lock() {
        jdbc.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
        jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext('inference.inference_logs partitions'))");
    }

    private boolean exists(String table) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class,
                "inference." + table));
    }

    static String name(YearMonth month) {
        return NAME.format(month);
    }

    private static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static OffsetDateTime utc(YearMonth month) {
        return start(month).atOffset(ZoneOffset.UTC);
    }
}
