#!/usr/bin/env bash
# Backup drill (docs/deploy.md "Backups"): back up PostgreSQL (pg_dump) and the file storage
# (MEDIA_ROOT), restore both into a fresh database and folder, and check that every table's
# row count and a review's whole content survived. Prints the time each step took.
#
# By default it drills on a throwaway database holding the fictional demo (make run's data).
# To drill on a copy of production, set SOURCE_DB to that (staging) database's name; the
# source is only read. Needs pg_dump, pg_restore, psql and createdb on PATH, and
# PGHOST/PGUSER (default 127.0.0.1 / postgres).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGPORT=${PGPORT:-5432}
export PGOPTIONS="-c client_min_messages=warning"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=${BACKUP_DIR:-$(mktemp -d)}/drill-$STAMP
RESTORED_DB=peerreview_restore_drill
mkdir -p "$WORK"
now() { date +%s.%N; }
took() { printf '%.1f s' "$(echo "$(now) - $1" | bc)"; }

for tool in pg_dump pg_restore psql createdb bc; do
  command -v $tool >/dev/null || { echo "$tool is needed: apt-get install -y postgresql-client bc"; exit 1; }
done

if [ -z "${SOURCE_DB:-}" ]; then
  SOURCE_DB=peerreview_backup_drill
  echo "== Source: a fresh database '$SOURCE_DB' with the fictional demo"
  psql -qc "DROP DATABASE IF EXISTS $SOURCE_DB" && createdb "$SOURCE_DB"
  export MEDIA_ROOT="$WORK/media-source"
  mkdir -p "$MEDIA_ROOT/drill"
  # The demo's library files, review files and report PDF go to MEDIA_ROOT (ADR 0005); a
  # canary file of random bytes too.
  head -c 65536 /dev/urandom > "$MEDIA_ROOT/drill/canary.bin"
  URL="postgres://$PGUSER@$PGHOST:$PGPORT/$SOURCE_DB"
  DATABASE_URL=$URL $PY manage.py migrate --no-input -v0 --settings=config.settings.local
  DATABASE_URL=$URL $PY manage.py load_frameworks --settings=config.settings.local >/dev/null
  DATABASE_URL=$URL $PY manage.py load_demo --settings=config.settings.local >/dev/null
  # The demo's queued work (the agreed report's PDF, into the file storage), then stop.
  DATABASE_URL=$URL $PY manage.py db_worker --batch --no-startup-delay \
    --settings=config.settings.local >/dev/null 2>&1
fi
MEDIA_ROOT=${MEDIA_ROOT:-media}

echo "== Back up"
t=$(now)
pg_dump --format=custom --no-owner --file "$WORK/db.dump" "$SOURCE_DB"
echo "database: $(du -h "$WORK/db.dump" | cut -f1) in $(took "$t")"
t=$(now)
tar -C "$MEDIA_ROOT" -czf "$WORK/media.tar.gz" .
echo "files: $(du -h "$WORK/media.tar.gz" | cut -f1) in $(took "$t")"

echo "== Restore into a fresh database and folder"
t=$(now)
psql -qc "DROP DATABASE IF EXISTS $RESTORED_DB" && createdb "$RESTORED_DB"
pg_restore --no-owner --exit-on-error --dbname "$RESTORED_DB" "$WORK/db.dump"
echo "database restored in $(took "$t")"
mkdir -p "$WORK/media-restored"
tar -C "$WORK/media-restored" -xzf "$WORK/media.tar.gz"

echo "== Check"
counts() {
  psql -d "$1" -tAc "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1" |
    while read -r table; do echo "$table $(psql -d "$1" -tAc "SELECT count(*) FROM \"$table\"")"; done
}
counts "$SOURCE_DB" > "$WORK/counts-source.txt"
counts "$RESTORED_DB" > "$WORK/counts-restored.txt"
diff "$WORK/counts-source.txt" "$WORK/counts-restored.txt" \
  || { echo "FAILED: row counts differ"; exit 1; }
tables=$(wc -l < "$WORK/counts-source.txt")
rows=$(awk '{s += $2} END {print s}' "$WORK/counts-source.txt")
# The review with the most evidence and self-review content, every row of it and its parts.
REVIEW=$(psql -d "$SOURCE_DB" -tAc "SELECT r.id FROM reviews_review r ORDER BY
  (SELECT count(*) FROM reviews_selfreviewentry s WHERE s.review_id = r.id) +
  (SELECT count(*) FROM reviews_evidencenote e WHERE e.review_id = r.id) DESC, r.id LIMIT 1")
review_digest() {
  psql -d "$1" -tAc "SELECT md5(concat_ws('#',
    (SELECT t::text FROM reviews_review t WHERE id = $REVIEW),
    (SELECT string_agg(t::text, '|' ORDER BY id) FROM reviews_selfreviewentry t WHERE review_id = $REVIEW),
    (SELECT string_agg(t::text, '|' ORDER BY id) FROM reviews_lineofenquiry t WHERE review_id = $REVIEW),
    (SELECT string_agg(t::text, '|' ORDER BY id) FROM reviews_activity t WHERE review_id = $REVIEW),
    (SELECT string_agg(t::text, '|' ORDER BY id) FROM reviews_teammember t WHERE review_id = $REVIEW),
    (SELECT string_agg(t::text, '|' ORDER BY id) FROM reviews_evidencenote t WHERE review_id = $REVIEW),
    (SELECT string_agg(t::text, '|' ORDER BY id) FROM reviews_reviewfile t WHERE review_id = $REVIEW),
    (SELECT string_agg(t::text, '|' ORDER BY id) FROM reviews_finding t WHERE review_id = $REVIEW),
    (SELECT string_agg(t::text, '|' ORDER BY id) FROM reviews_report t WHERE review_id = $REVIEW)))"
}
before=$(review_digest "$SOURCE_DB")
after=$(review_digest "$RESTORED_DB")
[ "$before" = "$after" ] || { echo "FAILED: review $REVIEW differs after restore"; exit 1; }
(cd "$MEDIA_ROOT" && find . -type f -exec sha256sum {} + | sort) > "$WORK/files-source.txt"
(cd "$WORK/media-restored" && find . -type f -exec sha256sum {} + | sort) > "$WORK/files-restored.txt"
diff "$WORK/files-source.txt" "$WORK/files-restored.txt" || { echo "FAILED: files differ"; exit 1; }
files=$(wc -l < "$WORK/files-source.txt")
# Every file a restored row names (ADR 0005: rows in the database, bytes in the storage).
psql -d "$RESTORED_DB" -tAc "
  SELECT file FROM resources_resourcefile UNION ALL SELECT file FROM reviews_reviewfile
  UNION ALL SELECT pdf FROM reviews_report UNION ALL SELECT file FROM improvement_actionfile
  UNION ALL SELECT pdf FROM improvement_planexport UNION ALL SELECT file FROM schools_importjob" |
  grep -v '^$' > "$WORK/named-files.txt" || true
named=$(wc -l < "$WORK/named-files.txt")
while read -r name; do
  [ -f "$WORK/media-restored/$name" ] || { echo "FAILED: $name is named by a row but not restored"; exit 1; }
done < "$WORK/named-files.txt"

echo "OK: $tables tables, $rows rows, review $REVIEW (content digest $before) and $files file(s) identical after restore; all $named file(s) named by rows present"
psql -qc "DROP DATABASE $RESTORED_DB"
[ "$SOURCE_DB" = peerreview_backup_drill ] && psql -qc "DROP DATABASE $SOURCE_DB"
echo "Backup kept in $WORK"
