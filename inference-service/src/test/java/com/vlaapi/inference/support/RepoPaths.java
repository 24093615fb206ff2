package com.vlaapi.inference.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The committed model bundle and held-out set, wherever Maven runs the tests from. */
public final class RepoPaths {

    private RepoPaths() {
    }

    public static Path evalSet() {
        return repoRoot().resolve("reference-policy/evalsets/tabletop-v1");
    }

    private static Path repoRoot() {
        String configured = System.getProperty("vla.repo.root");
        Path start = configured != null ? Path.of(configured) : Path.of("");
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("reference-policy"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start.toAbsolutePath());
    }
}
