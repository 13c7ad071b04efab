#!/usr/bin/env bash
# Runs a command (typically the end-to-end harness on PostgreSQL) and prints what PostgreSQL wrote to its WAL
# meanwhile, by record type (pg_waldump --stats=record): which share is index entries, heap inserts, updates.
# Needs read access to the server's pg_wal directory, so run it on the database's machine as its owner or root.
#
#   postoffice-benchmarks/wal-breakdown.sh java -cp "$CP" dev.postoffice.benchmarks.EndToEnd postgresql 10000 \
#       database=bench baseline=false runs=1 warmups=0
#
# Environment: PGHOST (127.0.0.1), PGUSER (postgres), PGDATABASE (test), PGWAL (the server's pg_wal directory,
# asked from the server when unset), PG_WALDUMP (pg_waldump of the server's version, found when unset).
# Every other client's writes in the window count too: keep the server otherwise quiet.
set -euo pipefail
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
sql() { psql -Atc "$1"; }
wal_dir=${PGWAL:-$(sql "SELECT current_setting('data_directory')")/pg_wal}
waldump=${PG_WALDUMP:-$(ls /usr/lib/postgresql/*/bin/pg_waldump 2>/dev/null | sort -V | tail -1)}
start=$(sql "SELECT pg_current_wal_insert_lsn()")
"$@"
end=$(sql "SELECT pg_current_wal_insert_lsn()")
sql "SELECT pg_switch_wal()" > /dev/null # closes the segment, so pg_waldump can read to the end
echo "WAL from $start to $end: $(sql "SELECT pg_size_pretty(pg_wal_lsn_diff('$end', '$start'))")"
stats=$("$waldump" -p "$wal_dir" -s "$start" -e "$end" --stats=record 2>/dev/null || true)
echo "$stats" | grep -E '^(WAL statistics|Type)'
# The 20 record types that wrote the most, largest first (by combined size: the column before the last "( %)").
echo "$stats" | grep -vE '^(WAL statistics|Type)|Total|^[[:space:]-]*$' \
  | awk '{ print $(NF - 2) "\t" $0 }' | sort -n -r | cut -f2- | head -20
echo "$stats" | grep Total
