package com.vlaapi.inference.requestlog;

import java.util.List;

/** Where the writer puts rows; an interface so the writer's retry logic can be tested without a database. */
interface RequestLogStore {

    /** Stores every row or throws; storing the same request id twice keeps the first row (retries are safe). */
    void insert(List<InferenceLogEntry> rows);
}
