#!/usr/bin/env bash
# Writes a serverless.yml with N Fargate tasks (a mix of services, scheduled and standalone tasks,
# with environment, tags and variables) into FOLDER, for benchmarks.
#   scripts/generate-service.sh N FOLDER [PLUGIN]
set -euo pipefail
n="$1"; folder="$2"; plugin="${3:-}"
mkdir -p "$folder"
{
  cat <<YAML
service: generated-$n
frameworkVersion: '3'

custom:
  logLevel: \${env:LOG_LEVEL, 'info'}

provider:
  name: aws
  region: eu-west-1
  runtime: provided.al2023
  stage: \${opt:stage, 'dev'}
  environment:
    LOG_LEVEL: \${self:custom.logLevel}
  tags:
    team: platform
  ecr:
    images:
      app:
        uri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

YAML
  if [ -n "$plugin" ]; then printf 'plugins:\n  - %s\n\n' "$plugin"; fi
  cat <<YAML
functions:
  api:
    handler: bootstrap

fargate:
  clusterName: generated-\${sls:stage}
  vpc:
    subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]
    securityGroupIds: [sg-0123456789abcdef0]
  environment:
    STAGE: \${sls:stage}
  tasks:
YAML
  for i in $(seq 1 "$n"); do
    printf '    task-%04d:\n      image: app\n      memory: 1GB\n      cpu: 512\n      environment:\n        TASK_NUMBER: "%d"\n      tags:\n        task: task-%04d\n' "$i" "$i" "$i"
    case $((i % 4)) in
      1) printf '      schedule: cron(%d %d * * ? *)\n' $((i % 60)) $((i % 24)) ;;
      2) printf '      service: false\n' ;;
      *) printf '      service:\n        desiredCount: %d\n' $((i % 3 + 1)) ;;
    esac
  done
} > "$folder/serverless.yml"
printf '#!/bin/sh\n' > "$folder/bootstrap"
