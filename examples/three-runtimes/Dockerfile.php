FROM public.ecr.aws/docker/library/php:8.3-cli-alpine
RUN docker-php-ext-install pcntl
COPY worker.php /app/worker.php
ENTRYPOINT ["php"]
CMD ["/app/worker.php"]
