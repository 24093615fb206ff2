-- Issue 18, similarity search (package similarity/).
-- Requests like a request, by image: HNSW over the log's observation embeddings, by cosine distance
-- (L2-normalised). Created on the partitioned table, so every partition has its own index: the
-- existing ones get theirs here, and a month RequestLogPartitions creates later (LIKE, then ATTACH)
-- gets one built when it is attached. NULLs (errors) are not indexed. On a large log this builds
-- over every stored embedding while holding writes (the request journals absorb them meanwhile).
CREATE INDEX inference_logs_embedding_hnsw_idx ON inference_logs
    USING hnsw (embedding public.vector_cosine_ops);

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
