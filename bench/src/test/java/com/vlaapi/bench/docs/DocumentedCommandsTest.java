package com.vlaapi.bench.docs;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.OperatorScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every {@code bin/vla} command a document names exists, and so does every flag it passes: each is
 * checked against what {@code bin/vla help} lists for that command, so the documents, the help and
 * the scripts cannot drift apart unnoticed.
 */
class DocumentedCommandsTest {

    /** {@code bin/vla}, a command, and what follows it up to the end of the command line, a shell operator, a comment or prose punctuation. */
    private static final Pattern USE = Pattern.compile("bin/vla\\s+([a-z][a-z-]*)([^\\n`|;&#(),]*)");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*");
    /** A help entry: two spaces, the command, then its arguments and description (continued on deeper-indented lines). */
    private static final Pattern HELP_ENTRY = Pattern.compile("(?m)^  ([a-z][a-z-]*)(.*(?:\\n {4,}.*)*)");

    @Test
    void everyDocumentedCommandAndFlagExists() throws Exception {
        Map<String, String> help = helpEntries();
        assertTrue(help.keySet().containsAll(List.of("up", "create-customer", "invoices", "report", "backup", "test")), help.keySet().toString());
        List<String> unknown = new ArrayList<>();
        int uses = 0;
        for (Path document : MarkdownSnippets.documents(ROOT)) {
            Matcher use = USE.matcher(read(document));
            while (use.find()) {
                uses++;
                String command = use.group(1);
                String entry = help.get(command);
                if (entry == null) {
                    unknown.add(ROOT.relativize(document) + ": bin/vla " + command + " (no such command)");
                    continue;
                }
                Matcher flag = FLAG.matcher(use.group(2));
                while (flag.find()) {
                    if (!FLAG.matcher(entry).results().map(m -> m.group()).toList().contains(flag.group())) {
                        unknown.add(ROOT.relativize(document) + ": bin/vla " + command + " " + flag.group() + " (not in its help)");
                    }
                }
            }
        }
        assertTrue(uses > 30, "the documents name bin/vla commands: found only " + uses);
        assertEquals(List.of(), unknown);
    }

    /** The command names {@code bin/vla help} lists, each with all its help text (arguments, flags, description). */
    private static Map<String, String> helpEntries() throws Exception {
        OperatorScript help = OperatorScript.run(Map.of(), List.of(ROOT.resolve("bin/vla").toString(), "help"));
        assertEquals(0, help.exitStatus(), help.output());
        Map<String, String> entries = new LinkedHashMap<>();
        Matcher entry = HELP_ENTRY.matcher(help.output());
        while (entry.find()) {
            entries.merge(entry.group(1), entry.group(2), String::concat);
        }
        return entries;
    }

    private static String read(Path document) {
        try {
            return Files.readString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
