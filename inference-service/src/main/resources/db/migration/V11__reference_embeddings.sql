-- The out-of-distribution signal's references (package ood/): embeddings of training scenes, one
-- set per served model version, stored once when a version is first loaded. Requests are compared
-- with an in-process index built from the bundle (microseconds, off the database's critical path);
-- this table keeps every version's references queryable in SQL next to the request log's
-- embeddings, e.g. the distance of logged requests to their nearest references through the HNSW
-- index below. Rows of a version are never changed: a retrained model ships a new version.
CREATE TABLE reference_embeddings (
    model         text NOT NULL,
    model_version text NOT NULL,
    ordinal       int  NOT NULL,
    embedding     public.vector(64) NOT NULL,
    PRIMARY KEY (model, model_version, ordinal)
);

-- Cosine, as the service measures: the embeddings are L2-normalised.
CREATE INDEX reference_embeddings_embedding_hnsw_idx ON reference_embeddings
    USING hnsw (embedding public.vector_cosine_ops);
