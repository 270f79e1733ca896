'use strict';

// The short-lived part of the service: an HTTP endpoint on Lambda.
module.exports.hello = async () => ({
  statusCode: 200,
  body: JSON.stringify({ message: 'The long-running work happens on Fargate.' }),
});
