# Tools of docker-compose.yml's deploy one-shot: Go (the version of go.mod),
# make and zip to build the Lambda zips, the AWS CLI to package and deploy
# the template into LocalStack (it honours AWS_ENDPOINT_URL). The source is
# mounted at /src, not copied.
FROM golang:1.26-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends make zip python3-venv \
 && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/aws && /opt/aws/bin/pip install --no-cache-dir awscli==1.45.11
ENV PATH=/opt/aws/bin:$PATH
