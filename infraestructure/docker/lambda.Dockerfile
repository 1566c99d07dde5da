# One service's Lambda container image (buildspec with PACKAGE_TYPE=Image,
# `make images`): the same bootstrap the zip holds, on the provided.al2023
# base image. Build context: dist/lambda/<service>/.
FROM public.ecr.aws/lambda/provided:al2023
COPY bootstrap /var/task/bootstrap
ENTRYPOINT ["/var/task/bootstrap"]
