# Sourced by `bin/vla test` (it sets variables in the caller): PostgreSQL made ready by postgres.sh,
# then how the tests log in, exported. Works on a server that trusts local TCP connections (this
# project's CI machine) and on a stock Debian one (peer over the socket, scram-sha-256 over TCP):
# - the services' roles get `bin/vla up`'s passwords (.vla/*-db-password), which the tests' local
#   fleets give their services too (VLA_<SERVICE>_DB_PASSWORD): roles belong to the whole server,
#   so a test never changes the passwords a running fleet logs in with;
# - tests create their databases over TCP as an administrator: `postgres` where it gets in without
#   a password; elsewhere the role vla_test_admin (superuser: tests create the vector extension and
#   hand schemas to the services' roles), given a new random password on every run over the local
#   socket. An exported VLA_TEST_DB_ADMIN_PASSWORD is used as it is.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for service in customer inference billing; do
  export "VLA_${service^^}_DB_PASSWORD=$(token "$service-db-password")"
done
"$ROOT/deploy/scripts/postgres.sh"
export VLA_TEST_DB_ADMIN_URL=${VLA_TEST_DB_ADMIN_URL:-jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/postgres}
if [ -z "${VLA_TEST_DB_ADMIN_PASSWORD:-}" ] \
   && ! PGCONNECT_TIMEOUT=10 psql -X -w -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -c '' >/dev/null 2>&1; then
  echo "PostgreSQL wants a password over TCP: the tests log in as vla_test_admin"
  VLA_TEST_DB_ADMIN_USER=vla_test_admin
  VLA_TEST_DB_ADMIN_PASSWORD=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  # On standard input: a command line would show the password to `ps`.
  psql_admin <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vla_test_admin') THEN CREATE ROLE vla_test_admin; END IF;
END \$\$;
ALTER ROLE vla_test_admin SUPERUSER LOGIN PASSWORD '$VLA_TEST_DB_ADMIN_PASSWORD';
SQL
  export VLA_TEST_DB_ADMIN_USER VLA_TEST_DB_ADMIN_PASSWORD
fi
