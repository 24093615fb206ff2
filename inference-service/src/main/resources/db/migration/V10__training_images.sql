-- Request images kept to train models, for customers who consented (customer.customers_v1's
-- training_images_consent_at): the object in S3-compatible storage that holds a logged request's
-- image. The link joins inference_logs by request_id (no foreign key: the log is partitioned by
-- month and its retention drops months independently); erasing a customer's images deletes its rows.
CREATE TABLE training_images (
    request_id  uuid        PRIMARY KEY,
    customer_id uuid        NOT NULL,
    object_key  text        NOT NULL,
    stored_at   timestamptz NOT NULL
);

-- Erasure finds a customer's links; the retention sweep the oldest.
CREATE INDEX training_images_customer_id_idx ON training_images (customer_id);
CREATE INDEX training_images_stored_at_idx ON training_images (stored_at);
