const token = req.headers.authorization.split(' ')[1];
const secret = process.env.JWT_SECRET;
if (!password) throw new Error('password required');
