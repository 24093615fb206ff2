package com.vlaapi.gateway.errors;

import java.util.Optional;

/** What lies under an error: Reactor Netty and Spring wrap the exception that tells what happened. */
public final class Causes {

    private Causes() {
    }

    /** The first of {@code error} and its causes that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    public static boolean has(Throwable error, Class<? extends Throwable> type) {
        return find(error, type).isPresent();
    }

    /** For an exception whose class is not public: by its name. */
    public static boolean hasClassNamed(Throwable error, String className) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
