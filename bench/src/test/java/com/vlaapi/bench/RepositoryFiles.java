package com.vlaapi.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository the tests read: its root ({@code vla.repo.root}, bench's parent folder by default)
 * and its files by kind, for the tests that check rules across every module's sources.
 */
public final class RepositoryFiles {

    public static final Path ROOT = Path.of(System.getProperty("vla.repo.root", "..")).toAbsolutePath().normalize();

    private RepositoryFiles() {
    }

    /** The files under {@code directory} whose names end with one of {@code suffixes}, in path order. */
    public static List<Path> under(Path directory, String... suffixes) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> endsWithAny(file.getFileName().toString(), suffixes)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean endsWithAny(String name, String... suffixes) {
        for (String suffix : suffixes) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
