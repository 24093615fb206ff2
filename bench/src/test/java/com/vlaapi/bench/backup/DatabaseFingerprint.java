package com.vlaapi.bench.backup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a restore must give back, read from the database itself, as one map to compare: every
 * table of every schema (its row count and an md5 of its rows in order), every relation's and
 * schema's owner and grants, each sequence's position, the extensions, and the database's own
 * settings (search_path, timezone). Needs a superuser: it reads every table.
 */
public final class DatabaseFingerprint {

    /** One query: query_to_xml runs the per-table count and md5 that plain SQL cannot name dynamically. */
    private static final String SQL = """
            WITH user_schemas AS (
                SELECT oid, nspname FROM pg_namespace
                WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%'
                  AND nspname NOT LIKE 'pg_temp%')
            SELECT 'rows ' || format('%I.%I', n.nspname, c.relname),
                   query_to_xml(format('SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, '','' ORDER BY t::text), ''''))'
                                       || ' AS md5 FROM %I.%I t', n.nspname, c.relname), false, true, '')::text
            FROM pg_class c JOIN user_schemas n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm')
            UNION ALL
            SELECT 'grants ' || format('%I.%I', n.nspname, c.relname) || ' (' || c.relkind::text || ')',
                   pg_get_userbyid(c.relowner) || ' ' || coalesce(c.relacl::text, 'default')
            FROM pg_class c JOIN user_schemas n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
            UNION ALL
            SELECT 'sequence ' || format('%I.%I', schemaname, sequencename), coalesce(last_value::text, 'unused')
            FROM pg_sequences
            UNION ALL
            SELECT 'schema ' || n.nspname, pg_get_userbyid(n.nspowner) || ' ' || coalesce(n.nspacl::text, 'default')
            FROM pg_namespace n JOIN user_schemas u ON u.oid = n.oid
            UNION ALL
            SELECT 'extension ' || extname, extversion FROM pg_extension
            UNION ALL
            SELECT 'database settings', array_to_string(array(SELECT unnest(setconfig) ORDER BY 1), '; ')
            FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND setrole = 0
            """;

    private DatabaseFingerprint() {
    }

    public static Map<String, String> of(Connection db) throws SQLException {
        Map<String, String> fingerprint = new TreeMap<>();
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(SQL)) {
            while (rs.next()) {
                fingerprint.put(rs.getString(1), rs.getString(2).replaceAll("\\s+", " ").trim());
            }
        }
        return fingerprint;
    }

    /** "what: before -> after" for each entry that differs, or is only in one of them. */
    public static List<String> differences(Map<String, String> before, Map<String, String> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return keys.stream().filter(key -> !Objects.equals(before.get(key), after.get(key)))
                .map(key -> key + ": " + before.get(key) + " -> " + after.get(key)).toList();
    }

    /** How many rows the tables hold in all: a restore test is only as good as the data it restores. */
    public static long rows(Map<String, String> fingerprint) {
        return fingerprint.entrySet().stream().filter(e -> e.getKey().startsWith("rows "))
                .mapToLong(e -> Long.parseLong(e.getValue().replaceAll(".*<rows>(\\d+)</rows>.*", "$1"))).sum();
    }
}
