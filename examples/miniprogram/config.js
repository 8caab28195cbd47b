// Where your server is. For a local server, tick "Does not verify valid domain names"
// in WeChat DevTools' local settings; a released mini-program needs an https domain
// listed under "request legal domains" in the mini-program's admin console.
module.exports = {
  baseUrl: 'http://127.0.0.1:3000',
};
