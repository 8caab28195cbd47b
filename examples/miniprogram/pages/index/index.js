// Loads the user's profile from a protected route, asks for the phone number
// with WeChat's button, and logs out. The client (app.api) logs in, sends the
// token on every request and logs in again when the server refuses it.
const app = getApp();

Page({
  data: { openid: '', phone: '', message: '' },

  onLoad() {
    return this.loadProfile();
  },

  async loadProfile() {
    try {
      const me = await app.api.request({ url: '/api/me' }); // logs in first when needed
      this.setData({ openid: me.openid, message: '' });
    } catch (err) {
      this.setData({ message: `Could not load your profile (${err.code})` });
    }
  },

  // e.detail carries `code` (current flow) or `encryptedData` + `iv` (legacy flow).
  async onPhone(e) {
    try {
      const phone = await app.api.getPhoneNumber(e.detail);
      this.setData({ phone: phone.phoneNumber, message: '' });
    } catch (err) {
      if (err.code === 'WECHAT_PERMISSION_DENIED') {
        this.setData({ message: 'No phone number shared' });
      } else if (err.code === 'WECHAT_PHONE_RETRY') {
        // The session_key changed after the tap; the client has logged in again.
        wx.showToast({ title: 'Please tap again', icon: 'none' });
        this.setData({ message: 'Please tap the button again' });
      } else {
        this.setData({ message: `Could not get your phone number (${err.code})` });
      }
    }
  },

  async onLogout() {
    await app.api.logout();
    this.setData({ openid: '', phone: '', message: 'Logged out' });
  },
});
