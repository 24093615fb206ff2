-- Issue 18, similarity search (package similarity/). Requests like a request by image need no
-- index of their own: they are searched exactly among the customer's requests of a recent window,
-- through inference_logs_customer_timestamp_idx. An HNSW index on the log's embeddings made each
-- logged row cost about 1.4 ms of database time instead of 0.008 ms (docs/benchmarks.md), which
-- would cap the request log's ingest below what one inference instance serves.
-- Requests like an instruction: each customer's distinct instructions with their text embedding
-- (similarity/InstructionEmbedding), written with the log rows. Instructions repeat thousands of
-- times; an HNSW graph over one vector per request lost exact matches among the duplicates, one
-- vector per distinct instruction does not. Keyed by the text's md5: an instruction may be longer
-- than a btree entry.
CREATE TABLE customer_instructions (
    customer_id     uuid                 NOT NULL,
    instruction     text                 NOT NULL,
    instruction_md5 text                 GENERATED ALWAYS AS (md5(instruction)) STORED,
    embedding       public.vector(64)    NOT NULL,
    first_seen      timestamptz          NOT NULL,
    PRIMARY KEY (customer_id, instruction_md5)
);
CREATE INDEX customer_instructions_embedding_hnsw_idx ON customer_instructions
    USING hnsw (embedding public.vector_cosine_ops);
