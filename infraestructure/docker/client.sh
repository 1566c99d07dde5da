#!/bin/sh
# The client service of docker-compose.yml: build the client from the
# mounted source (without the host's node_modules) and serve it, with
# /api/* sent to the HTTP API the deploy service created in LocalStack.
set -eu
cd /app
tar -C /src/client --exclude=./node_modules --exclude=./dist -cf - . | tar -xf -
npm ci --no-audit --no-fund --loglevel=error
npm run build
set -a
. /shared/api.env
set +a
exec node /src/infraestructure/docker/serve-client.mjs /app/dist
