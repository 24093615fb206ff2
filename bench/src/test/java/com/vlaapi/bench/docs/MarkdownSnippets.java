package com.vlaapi.bench.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The fenced code blocks of the project's Markdown documents, where they are and what they hold. */
record MarkdownSnippets(Path file, int line, String info, String code) {

    /** A block whose info string is {@code bash runnable}: the docs test runs it against a fleet. */
    static final String RUNNABLE = "bash runnable";

    boolean runnable() {
        return info.equals(RUNNABLE);
    }

    String where() {
        return file + ":" + line;
    }

    /** Every document a reader is pointed to: the top level, docs/, and each folder's README. */
    static List<Path> documents(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !root.relativize(p).toString().matches("(.*/)?(target|node_modules|\\.git|\\.vla)/.*"))
                    .filter(p -> !root.relativize(p).startsWith("shared"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<MarkdownSnippets> in(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<MarkdownSnippets> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String opening = lines.get(i).strip();
            if (!opening.startsWith("```")) {
                continue;
            }
            int start = i;
            StringBuilder code = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                code.append(lines.get(i)).append('\n');
            }
            blocks.add(new MarkdownSnippets(file, start + 1, opening.substring(3).strip(), code.toString()));
        }
        return blocks;
    }
}
