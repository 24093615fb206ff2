-- A customer's robots: the limits inference-service holds each action to (issue 18). A request
-- names its profile ("robot": "arm-3"); a profile named "default" applies when it names none.
CREATE TABLE robot_profiles (
    customer_id            uuid             NOT NULL REFERENCES customers (customer_id),
    name                   text             NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    -- End-effector box in the robot's base frame, metres: [x, y, z] corners.
    workspace_min          double precision[] CHECK (cardinality(workspace_min) = 3),
    workspace_max          double precision[] CHECK (cardinality(workspace_max) = 3),
    max_translation_m      double precision CHECK (max_translation_m > 0),
    max_rotation_rad       double precision CHECK (max_rotation_rad > 0),
    gripper_convention     text             NOT NULL DEFAULT 'close_is_one'
                                            CHECK (gripper_convention IN ('close_is_one', 'open_is_one')),
    min_gripper_confidence double precision NOT NULL DEFAULT 0.2
                                            CHECK (min_gripper_confidence BETWEEN 0 AND 1),
    default_unnorm_key     text,
    created_at             timestamptz      NOT NULL DEFAULT now(),
    updated_at             timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, name),
    CHECK ((workspace_min IS NULL) = (workspace_max IS NULL))
);

-- Public read model for inference-service, which applies the profiles. Versioned like
-- customers_v1: columns only ever added.
CREATE VIEW robot_profiles_v1 AS
SELECT customer_id, name, workspace_min, workspace_max, max_translation_m, max_rotation_rad,
       gripper_convention, min_gripper_confidence, default_unnorm_key, updated_at
FROM robot_profiles;

GRANT USAGE ON SCHEMA customer TO inference_service;
GRANT SELECT ON robot_profiles_v1 TO inference_service;
